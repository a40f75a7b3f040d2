using Brm.V1;
using Google.Protobuf.WellKnownTypes;

namespace Brm.Api.Tests.Support;

/// <summary>A registered department and the ids of its stakeholders, by name.</summary>
public sealed record Department(Relationship Relationship, IReadOnlyDictionary<string, string> StakeholderIds)
{
    public string Id => Relationship.Id;

    public string this[string name] => StakeholderIds[name];

    public IEnumerable<string> Ids(params string[] names) => names.Select(n => StakeholderIds[n]);
}

/// <summary>Small builders for meeting test data.</summary>
public static class MeetingBuilders
{
    /// <summary>Registers a department with these stakeholders (name and level).</summary>
    public static async Task<Department> DepartmentAsync(
        this ApiFixture api, string name, (string Name, StakeholderLevel Level)[] people, string? manager = null)
    {
        var relationship = await api.Relationships.RegisterAsync(name, manager);
        var ids = new Dictionary<string, string>();
        foreach (var (person, level) in people)
        {
            var added = await api.Relationships.AddStakeholderAsync(Builders.Stakeholder(relationship, person, level));
            ids[person] = added.StakeholderId;
            relationship = added.Relationship;
        }

        return new Department(relationship, ids);
    }

    public static Timestamp At(DateTimeOffset time) => Timestamp.FromDateTimeOffset(time);

    public static ScheduleMeetingRequest Schedule(Department department, DateTimeOffset start, params string[] invited) => new()
    {
        RelationshipId = department.Id,
        Kind = MeetingKind.TeamMeetingSlot,
        Topic = "IT update at the team meeting",
        Start = At(start),
        DurationMinutes = 10,
        InvitedStakeholderIds = { department.Ids(invited) },
        Organiser = "brm.jane",
    };

    public static HoldMeetingRequest Hold(Meeting meeting, Department department, params string[] attendees) => new()
    {
        MeetingId = meeting.Id,
        Conversation = new ConversationDetails
        {
            StakeholderIds = { department.Ids(attendees) },
            ItAttendees = { "Jane Doe (BRM)" },
            ItShared = "The new expense tool goes live in March.",
        },
    };

    public static LogConversationRequest Conversation(
        Department department, DateTimeOffset? heldAt, params string[] met) => new()
    {
        RelationshipId = department.Id,
        Kind = MeetingKind.CoffeeChat,
        Conversation = new ConversationDetails
        {
            HeldAt = heldAt is { } at ? At(at) : null,
            StakeholderIds = { department.Ids(met) },
            ItShared = "asked how month-end went",
        },
    };
}
