using System.Globalization;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>How the portfolio is ordered. Each order gives a row a text key; rows sort by it (ordinal), then by relationship id.</summary>
public abstract record PortfolioOrder
{
    private PortfolioOrder()
    {
    }

    /// <summary>Worst health first (no score last), then by name.</summary>
    public sealed record ByHealth : PortfolioOrder;

    /// <summary>By name (case-insensitive).</summary>
    public sealed record ByName : PortfolioOrder;

    /// <summary>By manager (none last), then by name.</summary>
    public sealed record ByManager : PortfolioOrder;

    /// <summary>By one signal's score (<see cref="HealthSignal.Name"/>), worst first (no data last), then by name.</summary>
    public sealed record BySignal(string Signal) : PortfolioOrder;

    /// <summary>The row's key under this order (what a page's cursor keeps).</summary>
    public string Key(PortfolioRow row)
    {
        var name = row.Relationship.Name.ToLowerInvariant();
        return this switch
        {
            ByName => name,
            ByHealth => $"{row.Health.Score ?? 999:D3}|{name}",

            // None last: the manager's name ends with a character no text field may hold.
            ByManager => row.Relationship.Manager is { Length: > 0 } manager ? $"0{manager.ToLowerInvariant()}\u0001{name}" : $"1{name}",
            BySignal s => (row.Health.Signals.Single(x => x.Name == s.Signal).Score is { } score
                ? score.ToString("0.000000", CultureInfo.InvariantCulture)
                : "9") + "|" + name,
            _ => throw new InvalidOperationException($"unknown portfolio order {this}"),
        };
    }
}

/// <summary>Where a portfolio page starts: after the row with this key and relationship id.</summary>
public sealed record PortfolioCursor(string Key, Guid Id);

/// <summary>What a portfolio page asks for: whose relationships, carrying which tags, in which order, from where, how many, how many months of trend.</summary>
public sealed record PortfolioQuery(
    string? Manager, IReadOnlyCollection<string> Tags, PortfolioOrder Order, PortfolioCursor? After, int Size, int TrendMonths);

/// <summary>One page of the portfolio, the trend of the whole portfolio, and where the next page starts (null: the last page).</summary>
public sealed record PortfolioPage(IReadOnlyList<PortfolioRow> Rows, IReadOnlyList<PortfolioMonthlyHealth> Trend, PortfolioCursor? Next)
{
    /// <summary>
    /// The page of <paramref name="portfolio"/> after <paramref name="after"/> in <paramref name="order"/>, at most
    /// <paramref name="size"/> rows. The page is cut here, in memory, from the whole portfolio: the orders by health need every
    /// row's health, computed from its documents, and the trend covers every row (the portfolio holds at most
    /// <see cref="HealthQueries.PortfolioRelationships"/> rows).
    /// </summary>
    public static PortfolioPage Of(
        IReadOnlyList<PortfolioRow> portfolio, PortfolioOrder order, PortfolioCursor? after, int size, IReadOnlyList<MonthEnd> months)
    {
        var rows = portfolio
            .Select(row => (Key: order.Key(row), Row: row))
            .OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Row.Relationship.Id)
            .Where(x => after is not { } cursor || string.CompareOrdinal(x.Key, cursor.Key) > 0
                || (x.Key == cursor.Key && x.Row.Relationship.Id.CompareTo(cursor.Id) > 0))
            .Take(size + 1)
            .ToList();
        var next = rows.Count > size ? new PortfolioCursor(rows[size - 1].Key, rows[size - 1].Row.Relationship.Id) : null;
        return new PortfolioPage([.. rows.Take(size).Select(x => x.Row)], HealthTrend.Portfolio(months, portfolio.Select(r => r.Trend)), next);
    }
}

public static class PortfolioQueries
{
    /// <summary>A page of the portfolio (<see cref="HealthQueries.PortfolioAsync"/>) as of <paramref name="now"/>.</summary>
    public static async Task<PortfolioPage> PortfolioPageAsync(
        this IQuerySession session, PortfolioQuery query, DateTimeOffset now, HealthPolicy policy, CancellationToken ct)
    {
        var months = HealthTrend.Months(now, query.TrendMonths);
        var portfolio = await session.PortfolioAsync(query.Manager, now, ct, query.Tags, policy, months);
        return PortfolioPage.Of(portfolio, query.Order, query.After, query.Size, months);
    }
}
