using Brm.V1;

namespace Brm.Bench;

public enum OperationKind
{
    Command,
    Query,
}

/// <summary>One RPC of the workload: its name in the report, whether it writes, its share of the calls, the call.</summary>
public sealed record Operation(string Name, OperationKind Kind, int Weight, Func<Call, Task> Run);

/// <summary>What an operation acts on: a department picked at random, a random source, the clients.</summary>
public sealed record Call(Clients Clients, Department Department, Random Random, bool RequestIds, CancellationToken CancellationToken)
{
    /// <summary>A fresh request id, as a client that retries safely sends with every command (AIP-155); "" with --no-request-ids.</summary>
    public string RequestId() => RequestIds ? Guid.NewGuid().ToString() : "";

    public T Pick<T>(IReadOnlyList<T> values) => values[Random.Next(values.Count)];
}

/// <summary>A department registered through the API before the workload.</summary>
public sealed record Department(string Id, string Code, string Manager);

/// <summary>
/// The workload: a weighted table of operations, about 70% commands and 30% queries. Each RPC is one entry; when
/// a service lands, its RPCs are added here, one entry each (and its client in <see cref="Clients"/>):
/// LogConversation, MakeCommitment, DeliverCommitment, SubmitFeedback, RecordCommunication (commands);
/// ListCommitments, GetAgenda (queries). Their weights then take over most of the command share, as in issue 10.
/// </summary>
public static class Mix
{
    /// <summary>The BRMs who own the seeded departments (round robin).</summary>
    public static readonly IReadOnlyList<string> Managers = [.. Enumerable.Range(1, 20).Select(i => $"brm.{i:00}")];

    public static readonly IReadOnlyList<Operation> Operations =
    [
        // Commands.
        new("AddStakeholder", OperationKind.Command, 20, c => c.Clients.Relationships.AddStakeholderAsync(new AddStakeholderRequest
        {
            RequestId = c.RequestId(),
            RelationshipId = c.Department.Id,
            Name = $"{c.Pick(Words.FirstNames)} {c.Pick(Words.LastNames)}",
            Title = c.Pick(Words.Titles),
            Level = c.Pick(Words.Levels),
            Email = $"{Guid.NewGuid():N}@example.com", // unique within the relationship
            Influence = c.Pick(Words.Degrees),
            Interest = c.Pick(Words.Degrees),
        }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        new("RecordInformationNeed", OperationKind.Command, 20, c => c.Clients.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RequestId = c.RequestId(),
            RelationshipId = c.Department.Id,
            Description = c.Pick(Words.Needs),
            Priority = c.Pick(Words.Priorities),
        }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        // A channel and audience recorded again replace the notes, so preferences stay under their limit (50).
        new("RecordCommunicationPreference", OperationKind.Command, 15, c => c.Clients.Relationships.RecordCommunicationPreferenceAsync(
            new RecordCommunicationPreferenceRequest
            {
                RequestId = c.RequestId(),
                RelationshipId = c.Department.Id,
                Channel = c.Pick(Words.Channels),
                Audience = c.Pick(Words.Audiences),
                Notes = "monthly, first Monday",
            }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        new("AssessMaturity", OperationKind.Command, 15, c => c.Clients.Relationships.AssessMaturityAsync(new AssessMaturityRequest
        {
            RequestId = c.RequestId(),
            RelationshipId = c.Department.Id,
            Side = c.Pick(Words.Sides),
            Level = c.Pick(Words.Levels5),
            Evidence = "quarterly review with the department's leadership team",
        }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        // Queries.
        new("GetRelationship", OperationKind.Query, 20, c => c.Clients.Relationships.GetRelationshipAsync(
            new GetRelationshipRequest { RelationshipId = c.Department.Id }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        new("ListRelationships", OperationKind.Query, 10, c => c.Clients.Relationships.ListRelationshipsAsync(
            new ListRelationshipsRequest(), Calls.Unary(c.CancellationToken)).ResponseAsync),
    ];

    // What the requests are made of.
    private static class Words
    {
        public static readonly string[] FirstNames = ["Alice", "Bram", "Chen", "Dana", "Emeka", "Freya", "Gita", "Hugo"];
        public static readonly string[] LastNames = ["Smith", "Jansen", "Okafor", "Novak", "Tanaka", "Silva", "Berg"];
        public static readonly string[] Titles = ["Head of Accounts Payable", "Payroll Officer", "Finance Director", "Team Lead", "Analyst"];
        public static readonly StakeholderLevel[] Levels = [StakeholderLevel.Executive, StakeholderLevel.Manager, StakeholderLevel.Staff];
        public static readonly Degree[] Degrees = [Degree.Low, Degree.Medium, Degree.High];
        public static readonly Priority[] Priorities = [Priority.Low, Priority.Medium, Priority.High];
        public static readonly string[] Needs = ["monthly outage summary", "roadmap of changes to the ERP", "who to call when payroll breaks"];
        public static readonly Channel[] Channels = [Channel.Email, Channel.Chat, Channel.TeamMeeting, Channel.Newsletter];
        public static readonly string[] Audiences = ["all staff", "leadership team", "team leads"];
        public static readonly MaturitySide[] Sides = [MaturitySide.Business, MaturitySide.It];
        public static readonly MaturityLevel[] Levels5 =
        [
            MaturityLevel.AdHoc, MaturityLevel.OrderTaker, MaturityLevel.ServiceProvider, MaturityLevel.TrustedAdvisor, MaturityLevel.StrategicPartner,
        ];
    }
}
