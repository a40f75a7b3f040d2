using System.Globalization;

namespace Brm.Web.Shared;

/// <summary>A score (0-100, null: none) in one month, as the charts draw it.</summary>
public sealed record ChartPoint(int Year, int Month, int? Score)
{
    public string MonthName => new DateOnly(Year, Month, 1).ToString("MMM", CultureInfo.InvariantCulture);

    public string Label => new DateOnly(Year, Month, 1).ToString("MMM yyyy", CultureInfo.InvariantCulture);
}

/// <summary>
/// The geometry of the health charts (inline SVG, no script): each month's x, a score's y, and the runs of consecutive
/// months that have a score (a month without one breaks the line, it is not drawn as 0).
/// </summary>
public sealed class ChartGeometry(IReadOnlyList<ChartPoint> points, double width, double height, double left, double right, double top, double bottom)
{
    public double Left => left;

    public double Right => width - right;

    public double Top => top;

    public double Bottom => height - bottom;

    public double X(int index) => points.Count <= 1 ? (Left + Right) / 2 : Left + (index * (Right - Left) / (points.Count - 1));

    public double Y(double score) => Bottom - (score / 100 * (Bottom - Top));

    /// <summary>The polylines' points attributes: one per run of months with a score.</summary>
    public IEnumerable<string> Runs()
    {
        var run = new List<string>();
        for (var i = 0; i <= points.Count; i++)
        {
            if (i < points.Count && points[i].Score is { } score)
            {
                run.Add($"{N(X(i))},{N(Y(score))}");
                continue;
            }

            if (run.Count > 0)
            {
                yield return string.Join(" ", run);
                run.Clear();
            }
        }
    }

    /// <summary>A coordinate as SVG reads it (invariant, one decimal).</summary>
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>One sentence saying what the line shows: where it starts and ends, its lowest and highest month.</summary>
    public static string Describe(IReadOnlyList<ChartPoint> points, string what)
    {
        var scored = points.Where(p => p.Score is not null).ToList();
        if (scored.Count == 0)
        {
            return $"{what}: no score in any month yet.";
        }

        var low = scored.MinBy(p => p.Score)!;
        var high = scored.MaxBy(p => p.Score)!;
        return $"{what}: {scored[0].Score} in {scored[0].Label}, {scored[^1].Score} in {scored[^1].Label}; lowest {low.Score} ({low.Label}), highest {high.Score} ({high.Label}).";
    }
}
