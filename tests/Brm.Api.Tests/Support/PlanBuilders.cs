using Brm.V1;
using static Brm.Api.Tests.Support.CommitmentBuilders;

namespace Brm.Api.Tests.Support;

public static class PlanBuilders
{
    /// <summary>A BRM name no other test of the class uses, so that each test's load and agenda are its own.</summary>
    public static string UniqueManager() => $"brm.{Guid.NewGuid():N}"[..16];

    public static AddPlanItemRequest Item(
        string relationshipId, string what, Cadence cadence, Channel channel, DateOnly startsOn, string audience = "all staff") => new()
    {
        RelationshipId = relationshipId,
        Item = new PlanItemDetails { What = what, Channel = channel, Audience = audience, Cadence = cadence, Owner = "brm.jane" },
        StartsOn = Day(startsOn),
    };

    public static RecordCommunicationRequest Sent(string relationshipId, string? planItemId, DateTimeOffset at, string summary = "sent") => new()
    {
        RelationshipId = relationshipId,
        PlanItemId = planItemId ?? "",
        DeliveredAt = MeetingBuilders.At(at),
        Channel = Channel.Email,
        Summary = summary,
    };

    public static DateTimeOffset On(int year, int month, int day, int hour = 9) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);
}
