using System.Diagnostics;

namespace Brm.Bench;

/// <summary>A latency distribution in milliseconds (nearest-rank percentiles).</summary>
public sealed record Latency(long Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static Latency Of(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        milliseconds.Sort();
        return new Latency(
            milliseconds.Count, At(0.50), At(0.95), At(0.99), milliseconds[^1], milliseconds.Average());

        double At(double quantile) => milliseconds[Math.Max(0, (int)Math.Ceiling(quantile * milliseconds.Count) - 1)];
    }

    /// <summary>Milliseconds since a <see cref="Stopwatch.GetTimestamp"/> reading.</summary>
    public static double Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
