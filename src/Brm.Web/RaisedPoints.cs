using Brm.V1;

namespace Brm.Web;

/// <summary>The business's points as a BRM types them: one per line, optionally marked "concern:", "request:" or "praise:".</summary>
public static class RaisedPoints
{
    private static readonly (string Prefix, RaisedPointKind Kind)[] Marks =
        [("concern:", RaisedPointKind.Concern), ("request:", RaisedPointKind.Request), ("praise:", RaisedPointKind.Praise)];

    public static IEnumerable<RaisedPoint> Parse(string text) =>
        text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Trim().Length > 0).Select(Point);

    private static RaisedPoint Point(string line)
    {
        foreach (var (prefix, kind) in Marks)
        {
            if (line.TrimStart().StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return new RaisedPoint { Text = line.TrimStart()[prefix.Length..].Trim(), Kind = kind };
            }
        }

        return new RaisedPoint { Text = line.Trim() };
    }
}
