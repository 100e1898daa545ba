using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on a free loopback port in front of a shared service (PostgreSQL, RabbitMQ), so a test can
/// take the service away from one app without stopping it for everyone: <see cref="Cut"/> drops every open
/// connection and refuses new ones, <see cref="Restore"/> accepts again.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _links = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _gate = new();
    private TcpListener? _listener;

    public TcpFaultProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    public int Port { get; }

    public bool IsCut { get; private set; }

    /// <summary>Closes every forwarded connection and stops listening: new connections are refused.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            IsCut = true;
            _listener?.Stop();
            _listener = null;
        }
        foreach (var (client, upstream) in _links)
        {
            client.Close();
            upstream.Close();
        }
        _links.Clear();
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (_listener is not null)
                return;
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            IsCut = false;
            _ = AcceptAsync(listener);
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_disposed.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_disposed.Token);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException or InvalidOperationException)
            {
                return; // Cut or disposed.
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort, _disposed.Token);
            if (IsCut)
                throw new IOException("cut");
            _links[client] = upstream;
            await Task.WhenAny(PumpAsync(client.GetStream(), upstream.GetStream()), PumpAsync(upstream.GetStream(), client.GetStream()));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A cut connection or a closed peer: both ends are closed below.
        }
        finally
        {
            _links.TryRemove(client, out _);
            client.Close();
            upstream.Close();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _disposed.Token)) > 0)
                await to.WriteAsync(buffer.AsMemory(0, read), _disposed.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The other direction's end or a cut closes this one.
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        Cut();
        _disposed.Dispose();
        return ValueTask.CompletedTask;
    }
}
