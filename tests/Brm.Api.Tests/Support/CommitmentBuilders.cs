using Brm.V1;

namespace Brm.Api.Tests.Support;

public static class CommitmentBuilders
{
    public static Date Day(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    public static MakeCommitmentRequest Commitment(Relationship relationship, string title, DateOnly due, string owner = "omar.it") => new()
    {
        RelationshipId = relationship.Id,
        Title = title,
        Owner = owner,
        DueDate = Day(due),
        Direction = CommitmentDirection.ItToBusiness,
        SourceNote = "asked for in the corridor",
    };
}
