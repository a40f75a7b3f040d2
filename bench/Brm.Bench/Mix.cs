using System.Collections.Concurrent;
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

/// <summary>
/// A department registered through the API before the workload, with what the mix's commands need of it: its
/// stakeholders (conversations and feedback name them) and a communication plan item (communications go out for
/// it). Both are seeded through the API too (<see cref="Workload.SeedDepartmentsAsync"/>).
/// </summary>
public sealed record Department(string Id, string Code, string Manager, IReadOnlyList<string> Stakeholders, string PlanItemId);

/// <summary>
/// The workload: a weighted table of operations, 70% commands and 30% queries, as issue 10 asks: a BRM's working
/// day of conversations, commitments made and delivered, feedback and communications, and the reads behind it.
/// </summary>
public static class Mix
{
    /// <summary>The BRMs who own the seeded departments (round robin).</summary>
    public static readonly IReadOnlyList<string> Managers = [.. Enumerable.Range(1, 20).Select(i => $"brm.{i:00}")];

    /// <summary>
    /// Made and not yet delivered commitments, which DeliverCommitment takes from: seeded with one per department,
    /// and MakeCommitment (weighted above DeliverCommitment) adds more than it takes. A commitment is its own
    /// stream, so which department it belongs to does not matter to the delivery.
    /// </summary>
    public static readonly ConcurrentQueue<string> OpenCommitments = new();

    public static readonly IReadOnlyList<Operation> Operations =
    [
        // Commands: 70.
        new("LogConversation", OperationKind.Command, 20, c => c.Clients.Meetings.LogConversationAsync(new LogConversationRequest
        {
            RequestId = c.RequestId(),
            RelationshipId = c.Department.Id,
            Kind = c.Pick(Words.MeetingKinds),
            Topic = c.Pick(Words.Topics),
            Conversation = new ConversationDetails
            {
                StakeholderIds = { c.Pick(c.Department.Stakeholders) },
                ItAttendees = { c.Department.Manager },
                ItShared = "the roadmap of changes to the ERP for the next quarter",
                BusinessRaised = { new RaisedPoint { Text = c.Pick(Words.Needs) } },
                Notes = "follow up in a month",
            },
        }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        new("MakeCommitment", OperationKind.Command, 15, async c =>
        {
            var due = DateTime.UtcNow.AddDays(30);
            var made = await c.Clients.Commitments.MakeCommitmentAsync(new MakeCommitmentRequest
            {
                RequestId = c.RequestId(),
                RelationshipId = c.Department.Id,
                Title = c.Pick(Words.Commitments),
                Owner = c.Department.Manager,
                DueDate = new Date { Year = due.Year, Month = due.Month, Day = due.Day },
                Direction = CommitmentDirection.ItToBusiness,
                SourceNote = "asked for in the monthly service review",
            }, Calls.Unary(c.CancellationToken));
            OpenCommitments.Enqueue(made.Commitment.Id);
        }),

        new("DeliverCommitment", OperationKind.Command, 10, c => OpenCommitments.TryDequeue(out var id)
            ? c.Clients.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest
            {
                RequestId = c.RequestId(), CommitmentId = id, Note = "done, and told the team lead",
            }, Calls.Unary(c.CancellationToken)).ResponseAsync
            : throw new BenchException(
                "no open commitment left to deliver: the commitments made are not answered yet (the service is behind, e.g. an open "
                + "loop above what it sustains) or MakeCommitment does not outweigh DeliverCommitment")),

        new("SubmitFeedback", OperationKind.Command, 15, c => c.Clients.Feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RequestId = c.RequestId(),
            RelationshipId = c.Department.Id,
            FromStakeholderId = c.Pick(c.Department.Stakeholders),
            Channel = c.Pick(Words.Channels),
            Rating = c.Random.Next(1, 6),
            Comment = "the new expense form is much quicker",
        }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        new("RecordCommunication", OperationKind.Command, 10, c => c.Clients.Plans.RecordCommunicationAsync(new RecordCommunicationRequest
        {
            RequestId = c.RequestId(),
            RelationshipId = c.Department.Id,
            PlanItemId = c.Department.PlanItemId,
            Channel = Channel.Email,
            Summary = "monthly outage summary sent",
        }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        // Queries: 30.
        new("GetRelationship", OperationKind.Query, 12, c => c.Clients.Relationships.GetRelationshipAsync(
            new GetRelationshipRequest { RelationshipId = c.Department.Id }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        new("ListCommitments", OperationKind.Query, 9, c => c.Clients.Commitments.ListCommitmentsAsync(
            new ListCommitmentsRequest { RelationshipId = c.Department.Id }, Calls.Unary(c.CancellationToken)).ResponseAsync),

        new("GetAgenda", OperationKind.Query, 9, c => c.Clients.Plans.GetAgendaAsync(
            new GetAgendaRequest { Manager = c.Department.Manager }, Calls.Unary(c.CancellationToken)).ResponseAsync),
    ];

    /// <summary>Makes a department's stakeholders, plan item and first open commitment, as the mix needs them.</summary>
    public static async Task<Department> SeedAsync(Clients clients, Department department, int stakeholders, CancellationToken ct)
    {
        var random = new Random(department.Code.GetHashCode(StringComparison.Ordinal));
        var ids = new List<string>();
        for (var i = 0; i < stakeholders; i++)
        {
            var added = await clients.Relationships.AddStakeholderAsync(new AddStakeholderRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                RelationshipId = department.Id,
                Name = $"{Words.FirstNames[random.Next(Words.FirstNames.Length)]} {Words.LastNames[random.Next(Words.LastNames.Length)]}",
                Title = Words.Titles[random.Next(Words.Titles.Length)],
                Level = Words.Levels[i % Words.Levels.Length],
                Email = $"{Guid.NewGuid():N}@example.com",
                Influence = Degree.High,
                Interest = Degree.Medium,
            }, Calls.Unary(ct));
            ids.Add(added.StakeholderId);
        }

        var today = DateTime.UtcNow;
        var item = await clients.Plans.AddPlanItemAsync(new AddPlanItemRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            RelationshipId = department.Id,
            Item = new PlanItemDetails
            {
                What = "monthly outage summary", Channel = Channel.Email, Audience = "all staff", Cadence = Cadence.Monthly, Owner = department.Manager,
            },
            StartsOn = new Date { Year = today.Year, Month = today.Month, Day = today.Day },
        }, Calls.Unary(ct));

        var call = new Call(clients, department with { Stakeholders = ids, PlanItemId = item.PlanItemId }, random, RequestIds: true, ct);
        await Operations.Single(o => o.Name == "MakeCommitment").Run(call);
        return call.Department;
    }

    // What the requests are made of.
    private static class Words
    {
        public static readonly string[] FirstNames = ["Alice", "Bram", "Chen", "Dana", "Emeka", "Freya", "Gita", "Hugo"];
        public static readonly string[] LastNames = ["Smith", "Jansen", "Okafor", "Novak", "Tanaka", "Silva", "Berg"];
        public static readonly string[] Titles = ["Head of Accounts Payable", "Payroll Officer", "Finance Director", "Team Lead", "Analyst"];
        public static readonly StakeholderLevel[] Levels = [StakeholderLevel.Executive, StakeholderLevel.Manager, StakeholderLevel.Staff];
        public static readonly string[] Needs = ["monthly outage summary", "roadmap of changes to the ERP", "who to call when payroll breaks"];
        public static readonly Channel[] Channels = [Channel.Email, Channel.Chat, Channel.TeamMeeting, Channel.Newsletter];
        public static readonly MeetingKind[] MeetingKinds = [MeetingKind.FaceToFace, MeetingKind.CoffeeChat, MeetingKind.ServiceReview, MeetingKind.Remote];
        public static readonly string[] Topics = ["service review", "quarterly planning", "the new payroll system", "catch-up"];
        public static readonly string[] Commitments = ["send the outage report", "fix the expense form", "demo the new portal", "review the licences"];
    }
}
