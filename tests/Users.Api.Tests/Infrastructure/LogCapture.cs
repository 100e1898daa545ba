using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// An ILoggerProvider that keeps everything a host logs: the formatted message, the structured values,
/// the scopes and any exception. Tests scan it for values that must never be logged.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values)
                    entry.Append(" | ").Append(key).Append('=').Append(value);
            capture._scopes.ForEachScope((scope, sb) => sb.Append(" | scope ").Append(scope), entry);
            if (exception is not null)
                entry.Append('\n').Append(exception);
            capture._entries.Enqueue(entry.ToString());
        }
    }
}
