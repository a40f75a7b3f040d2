using System.CommandLine;
using Brm.V1;
using Google.Protobuf;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>
/// brm tag add|remove ITEM TAG..., brm tag list [--dept]. ITEM is a department's code (the department itself), or
/// CODE:stakeholder:WHO, CODE:meeting:ID, CODE:commitment:ID, CODE:feedback:ID.
/// </summary>
internal static class TagCommands
{
    private const string ItemHelp =
        "The item: CODE (the department), CODE:stakeholder:WHO (email, name or id), CODE:meeting:ID, CODE:commitment:ID or CODE:feedback:ID";

    public static Command Create(Io io)
    {
        var tag = Command("tag", "Tag departments, stakeholders, meetings, commitments and feedback, and list the tags in use");
        tag.Add(Change(io, add: true));
        tag.Add(Change(io, add: false));

        var dept = Many("--dept", "Only the items of this department (code); repeatable");
        var list = Command("list", "Every tag in use, with how many items of each kind carry it", dept);
        Context.Run(list, io, async c =>
        {
            var request = new ListTagsRequest();
            foreach (var code in c.Get(dept))
            {
                request.RelationshipIds.Add((await c.DepartmentAsync(code)).Id);
            }

            var response = await c.Tags.ListTagsAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                if (response.Tags.Count == 0)
                {
                    console.WriteLine("No tags.");
                }

                foreach (var use in response.Tags)
                {
                    console.WriteLine($"{use.Tag,-30} {use.Count,5}  {string.Join(", ", use.Kinds.Select(k => $"{Output.Enum(k.Kind)} {k.Count}"))}");
                }
            });
            return 0;
        });
        tag.Add(list);
        return tag;
    }

    private static Command Change(Io io, bool add)
    {
        var item = Arg("item", ItemHelp);
        var tags = new Argument<string[]>("tags") { Description = "Tags: lower-case slugs (a-z, 0-9, single hyphens)", Arity = ArgumentArity.OneOrMore };
        var command = Command(add ? "add" : "remove", add ? "Add tags to an item" : "Remove tags from an item", item, tags);
        Context.Run(command, io, async c =>
        {
            var target = await TargetAsync(c, c.Get(item));
            IMessage response;
            IReadOnlyList<string> now;
            if (add)
            {
                var added = await c.Tags.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { c.Get(tags) } }, cancellationToken: c.Cancellation);
                (response, now) = (added, added.Tags);
            }
            else
            {
                var removed = await c.Tags.RemoveTagsAsync(new RemoveTagsRequest { Target = target, Tags = { c.Get(tags) } }, cancellationToken: c.Cancellation);
                (response, now) = (removed, removed.Tags);
            }

            c.Out.Write(response, _ => c.Out.Line(now.Count == 0 ? $"{c.Get(item)} carries no tags" : $"{c.Get(item)} is tagged {string.Join(", ", now)}"));
            return 0;
        });
        return command;
    }

    /// <summary>The target an ITEM names: CODE, or CODE:KIND:KEY.</summary>
    private static async Task<TagTarget> TargetAsync(Context c, string item)
    {
        var parts = item.Split(':', 3);
        var relationship = await c.DepartmentAsync(parts[0]);
        if (parts.Length == 1)
        {
            return new TagTarget { RelationshipId = relationship.Id };
        }

        if (parts.Length != 3 || parts[2].Length == 0)
        {
            throw CliException.Usage($"item: '{item}' is not CODE or CODE:KIND:ID");
        }

        var (target, owner) = parts[1] switch
        {
            "stakeholder" => (new TagTarget
            {
                Stakeholder = new StakeholderReference { RelationshipId = relationship.Id, StakeholderId = Context.Stakeholder(relationship, parts[2]).Id },
            }, relationship.Id),
            "meeting" => (new TagTarget { MeetingId = parts[2] },
                (await c.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = parts[2] }, cancellationToken: c.Cancellation)).Meeting.RelationshipId),
            "commitment" => (new TagTarget { CommitmentId = parts[2] },
                (await c.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = parts[2] }, cancellationToken: c.Cancellation)).Commitment.RelationshipId),
            "feedback" => (new TagTarget { FeedbackId = parts[2] },
                (await c.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = parts[2] }, cancellationToken: c.Cancellation)).Feedback.RelationshipId),
            _ => throw CliException.Usage($"item: '{parts[1]}' is not a kind that carries tags (stakeholder, meeting, commitment, feedback)"),
        };

        // The department named must be the item's: a wrong code is a mistake, not another department's item to tag.
        return owner == relationship.Id ? target : throw CliException.Usage($"item: {parts[1]} {parts[2]} is not {relationship.Code}'s");
    }
}
