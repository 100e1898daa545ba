using System.Diagnostics;

namespace Users.Benchmarks;

/// <summary>Percentiles over recorded durations (Stopwatch ticks), reported in milliseconds.</summary>
public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static Percentiles Of(IEnumerable<long> ticks)
    {
        var sorted = ticks.OrderBy(t => t).ToArray();
        if (sorted.Length == 0)
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double Ms(long t) => Math.Round(t * 1000.0 / Stopwatch.Frequency, 2);
        double At(double q) => Ms(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)]);
        return new Percentiles(sorted.Length, At(0.50), At(0.95), At(0.99), Ms(sorted[^1]),
            Math.Round(sorted.Average() * 1000.0 / Stopwatch.Frequency, 2));
    }
}

public static class Load
{
    public static double[] Average() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
