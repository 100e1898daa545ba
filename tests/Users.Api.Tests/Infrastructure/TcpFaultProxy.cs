using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a shared service (RabbitMQ), so a test can cut the network between one
/// process and the service without stopping the service other engineers' tests use.
/// <see cref="Cut"/> drops every open connection and refuses new ones until <see cref="Restore"/>.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (TcpClient Client, TcpClient Upstream)> _open = new();
    private readonly Task _accepting;
    private int _nextId;
    private volatile bool _cut;

    public TcpFaultProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public bool IsCut => _cut;

    /// <summary>The same URI with host and port replaced by the proxy's.</summary>
    public string Rewrite(string uri) => new UriBuilder(uri) { Host = "127.0.0.1", Port = Port }.Uri.ToString();

    public static TcpFaultProxy InFrontOf(string uri)
    {
        var target = new Uri(uri);
        return new TcpFaultProxy(target.Host, target.Port);
    }

    public void Cut()
    {
        _cut = true;
        foreach (var (id, pair) in _open)
        {
            Abort(pair.Client);
            Abort(pair.Upstream);
            _open.TryRemove(id, out _);
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        if (_cut)
        {
            Abort(client);
            return;
        }
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
        }
        catch (Exception)
        {
            Abort(client);
            Abort(upstream);
            return;
        }
        var id = Interlocked.Increment(ref _nextId);
        _open[id] = (client, upstream);
        if (_cut)
        {
            // Cut while we were connecting.
            Cut();
            return;
        }
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var up = PumpAsync(client, upstream, done.Token);
        var down = PumpAsync(upstream, client, done.Token);
        await Task.WhenAny(up, down);
        await done.CancelAsync();
        _open.TryRemove(id, out _);
        Abort(client);
        Abort(upstream);
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        catch (Exception)
        {
            // A cut or a closed peer ends the pump; the caller closes both sides.
        }
    }

    // A reset rather than a graceful close: what a network failure looks like to the peer.
    private static void Abort(TcpClient client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception)
        {
            // Already closed.
        }
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try { await _accepting; } catch (OperationCanceledException) { }
    }
}
