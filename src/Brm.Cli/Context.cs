using System.CommandLine;
using Google.Protobuf;
using Brm.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Brm.Cli;

/// <summary>What a command's body gets: the parse result, the output and the service's clients.</summary>
public sealed class Context(ParseResult parse, Output output, Lazy<GrpcChannel> channel, CancellationToken cancellation)
{
    public ParseResult Parse { get; } = parse;

    public Output Out { get; } = output;

    public CancellationToken Cancellation { get; } = cancellation;

    public RelationshipService.RelationshipServiceClient Relationships => new(channel.Value);

    public MeetingService.MeetingServiceClient Meetings => new(channel.Value);

    public CommitmentService.CommitmentServiceClient Commitments => new(channel.Value);

    public ReportingService.ReportingServiceClient Reporting => new(channel.Value);

    public FeedbackService.FeedbackServiceClient Feedback => new(channel.Value);

    public CommunicationPlanService.CommunicationPlanServiceClient Plans => new(channel.Value);

    public OutreachService.OutreachServiceClient Outreach => new(channel.Value);

    public SearchService.SearchServiceClient Search => new(channel.Value);

    public TagService.TagServiceClient Tags => new(channel.Value);

    /// <summary>The caller's name, read from the token (the default owner or organiser); empty when unknown.</summary>
    public string Me => Connection.NameIn(Connection.Resolve(Parse).Token);

    public T Get<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Sets the action of <paramref name="command"/>: runs <paramref name="body"/> and maps every failure to an exit code.</summary>
    public static void Run(Command command, Io io, Func<Context, Task<int>> body) =>
        command.SetAction(async (parse, cancellation) =>
        {
            var output = new Output(io, parse.GetValue(GlobalOptions.Json));
            var channel = new Lazy<GrpcChannel>(() => Connection.Resolve(parse).Open());
            try
            {
                return await body(new Context(parse, output, channel, cancellation));
            }
            catch (RpcException error)
            {
                await io.Error.WriteLineAsync($"brm: {ExitCodes.Describe(error)}");
                return ExitCodes.For(error.StatusCode);
            }
            catch (CliException error)
            {
                await io.Error.WriteLineAsync($"brm: {error.Message}");
                return error.ExitCode;
            }
            finally
            {
                if (channel.IsValueCreated)
                {
                    channel.Value.Dispose();
                }
            }
        });

    /// <summary>A command that makes one call and says what it did in one line (or writes the answer with --json).</summary>
    public static void Run<T>(Command command, Io io, Func<Context, Task<T>> call, Func<T, string> line) where T : Google.Protobuf.IMessage =>
        Run(command, io, async c =>
        {
            var response = await call(c);
            c.Out.Write(response, _ => c.Out.Line(line(response)));
            return 0;
        });

    /// <summary>Finds a relationship by department code or id; unknown is NOT_FOUND (exit 3).</summary>
    public async Task<Relationship> DepartmentAsync(string codeOrId)
    {
        var request = Guid.TryParse(codeOrId, out _) ? new GetRelationshipRequest { RelationshipId = codeOrId } : new GetRelationshipRequest { Code = codeOrId };
        return (await Relationships.GetRelationshipAsync(request, cancellationToken: Cancellation)).Relationship;
    }

    /// <summary>Finds a current stakeholder of <paramref name="relationship"/> by id, email or name (unambiguous).</summary>
    public static Stakeholder Stakeholder(Relationship relationship, string who, bool includeErased = false)
    {
        var matches = relationship.Stakeholders.Where(s => s.Id == who).ToList();
        if (matches.Count == 0)
        {
            matches = [.. relationship.Stakeholders.Where(s => s.Email.Length > 0 && string.Equals(s.Email, who, StringComparison.OrdinalIgnoreCase))];
        }

        if (matches.Count == 0)
        {
            matches = [.. relationship.Stakeholders.Where(s => string.Equals(s.Name, who, StringComparison.OrdinalIgnoreCase))];
        }

        if (!includeErased)
        {
            matches = [.. matches.Where(s => !s.Erased || s.Id == who)];
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw CliException.NotFound($"stakeholder: no one called '{who}' in {relationship.Code}"),
            _ => throw CliException.Usage($"stakeholder: '{who}' is ambiguous in {relationship.Code} ({matches.Count} match); use the email or id"),
        };
    }

    /// <summary>
    /// Every item of a list RPC, page after page (AIP-158): <paramref name="call"/> asks for a page of
    /// <paramref name="request"/>, whose <c>page_token</c> this sets; <paramref name="items"/> reads a page's items, and
    /// its <c>next_page_token</c> says whether another page follows.
    /// </summary>
    public static async Task<List<T>> AllPagesAsync<TRequest, TPage, T>(
        TRequest request, Func<TRequest, AsyncUnaryCall<TPage>> call, Func<TPage, IEnumerable<T>> items)
        where TRequest : IMessage
        where TPage : IMessage
    {
        var pageToken = request.Descriptor.FindFieldByName("page_token").Accessor;
        var all = new List<T>();
        var token = "";
        do
        {
            pageToken.SetValue(request, token);
            var page = await call(request);
            all.AddRange(items(page));
            token = (string)page.Descriptor.FindFieldByName("next_page_token").Accessor.GetValue(page);
        }
        while (token.Length > 0);

        return all;
    }

    /// <summary>Every relationship (archived ones too with <paramref name="includeArchived"/>), optionally of one manager.</summary>
    public Task<List<RelationshipSummary>> AllRelationshipsAsync(string manager = "", bool includeArchived = false, IEnumerable<string>? tags = null) =>
        AllPagesAsync(
            new ListRelationshipsRequest { PageSize = 500, Manager = manager, IncludeArchived = includeArchived, Tags = { tags ?? [] } },
            r => Relationships.ListRelationshipsAsync(r, cancellationToken: Cancellation), page => page.Relationships);

    /// <summary>An active information need of <paramref name="relationship"/> by id or exact description (an unknown id goes to the service as is).</summary>
    public static string NeedId(Relationship relationship, string key)
    {
        var matches = relationship.InformationNeeds.Where(n => n.Id == key || string.Equals(n.Description, key, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            > 1 => throw CliException.Usage($"need: '{key}' is ambiguous; use the id"),
            _ => Guid.TryParse(key, out _) ? key : throw CliException.NotFound($"need: no active need '{key}' in {relationship.Code}"),
        };
    }

    /// <summary>The communication plan of a relationship.</summary>
    public async Task<CommunicationPlan> PlanAsync(string relationshipId) =>
        (await Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = relationshipId }, cancellationToken: Cancellation)).Plan;

    /// <summary>An item of a relationship's plan by id, or by its exact `what` among the active items (unambiguous).</summary>
    public async Task<PlanItem> PlanItemAsync(string relationshipId, string key)
    {
        var plan = await PlanAsync(relationshipId);
        var matches = plan.Items.Where(i => i.Id == key).ToList();
        if (matches.Count == 0)
        {
            matches = [.. plan.Items.Where(i => !i.Retired && string.Equals(i.What, key, StringComparison.OrdinalIgnoreCase))];
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw CliException.NotFound($"item: no plan item '{key}'"),
            _ => throw CliException.Usage($"item: '{key}' is ambiguous ({matches.Count} match); use the id"),
        };
    }

    /// <summary>Finds stakeholders of <paramref name="relationship"/> by id, email or name: their ids.</summary>
    public static IEnumerable<string> StakeholderIds(Relationship relationship, IEnumerable<string> who) => who.Select(w => Stakeholder(relationship, w).Id);

    /// <summary>A fresh request id: a retry inside the client would repeat it.</summary>
    public static string RequestId() => Guid.NewGuid().ToString();
}
