using Brm.V1;

namespace Brm.Web.Tests;

public sealed class RaisedPointsTests
{
    [Fact]
    public void Each_line_is_a_point_marked_by_its_kind_when_it_says_so()
    {
        var points = RaisedPoints.Parse("concern: Month-end close is slow\r\n\n  Request:  Training on the expenses tool \npraise:the new laptops\nWhy is the wiki down?").ToList();

        Assert.Equal(
            [("Month-end close is slow", (RaisedPointKind?)RaisedPointKind.Concern), ("Training on the expenses tool", RaisedPointKind.Request),
                ("the new laptops", RaisedPointKind.Praise), ("Why is the wiki down?", null)],
            points.Select(p => (p.Text, p.HasKind ? p.Kind : (RaisedPointKind?)null)));
    }

    [Fact]
    public void Blank_text_is_no_point()
    {
        Assert.Empty(RaisedPoints.Parse(" \n\r\n  "));
    }
}
