using Brm.Api.Infrastructure;
using Brm.Api.Security;
using Brm.Domain;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Brm.V1;
using Grpc.Core;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using PlanItem = Brm.Domain.CommunicationPlans.PlanItem;
using Relationship = Brm.Domain.Relationships.Relationship;
using Template = Brm.Domain.Outreach.UpdateTemplate;

namespace Brm.Api.Outreach;

/// <summary>
/// The drafts of brm.v1.OutreachService: ComposeUpdate (a read: the record of the period through the template in force,
/// nothing written) and the organisation's template (SetUpdateTemplate, GetUpdateTemplate).
/// </summary>
/// <remarks>
/// An archived relationship can still be composed for: composing writes nothing, and the record stays readable; it is
/// SendUpdate that refuses it.
/// </remarks>
public sealed class UpdateDrafts(Mutations mutations, IQuerySession query, TimeProvider clock)
{
    public async Task<ComposeUpdateResponse> Compose(ComposeUpdateRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var relationship = await query.GetAsync(Id(request.RelationshipId), ct);
        var period = request.Period is { } p
            ? new UpdatePeriod(p.From.ToDomain(), p.To.ToDomain())
            : UpdatePeriod.MonthEnding(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var item = OptionalId(request.PlanItemId) is { } itemId ? await ActiveItemAsync(relationship, itemId, ct) : null;

        var view = UpdateView.Gather(await query.DraftSourcesAsync(relationship, period, ct), period, item, Caller.Of(context).Name);
        var template = await query.UpdateTemplateAsync(ct);
        RenderedUpdate rendered;
        try
        {
            rendered = UpdateTemplating.Render(template.Subject, template.Source, view);
        }
        catch (TemplateRenderingException e)
        {
            throw DomainException.Rule(
                $"the update template (version {template.TemplateVersion}) does not render this update ({e.Problem.Describe()}): an admin can replace it");
        }

        var draft = new UpdateDraft
        {
            RelationshipId = relationship.Id.ToString(),
            Period = new Period { From = period.From.ToProto(), To = period.To.ToProto() },
            PlanItemId = item?.Id.ToString() ?? "",
            Subject = rendered.Subject,
            BodyMarkdown = rendered.BodyMarkdown,
            BodyHtml = MailMarkdown.ToHtml(rendered.BodyMarkdown),
            TemplateVersion = template.TemplateVersion,
        };
        draft.Facts.AddRange(view.Facts.Select(f => new V1.UpdateFact { Kind = (V1.UpdateFactKind)(int)f.Kind, Id = f.Id.ToString() }));
        draft.DefaultRecipients.AddRange(UpdateRecipients.DefaultFor(relationship, item).Select(r => new Recipient
        {
            StakeholderId = r.StakeholderId?.ToString() ?? "", Name = r.Name, Email = r.Email,
        }));
        return new ComposeUpdateResponse { Draft = draft };
    }

    /// <summary>The expected version is the template's own (its TemplateVersion), which the decider checks.</summary>
    public Task<SetUpdateTemplateResponse> SetTemplate(SetUpdateTemplateRequest request, ServerCallContext context) =>
        mutations.Decide<Template, SetUpdateTemplateResponse>(request, context, Template.StreamId, expectedVersion: null,
            (state, by) => UpdateTemplateDecider.Decide(new SetUpdateTemplate(request.Subject.Trim(), request.Source, request.Expected(), by.Actor, by.At), state),
            (decided, _) => new SetUpdateTemplateResponse { Template = ToProto(decided.State), Version = decided.State.TemplateVersion });

    public async Task<GetUpdateTemplateResponse> GetTemplate(GetUpdateTemplateRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var template = request.Version == 0 ? await query.UpdateTemplateAsync(ct) : await query.UpdateTemplateAsync(request.Version, ct);
        return new GetUpdateTemplateResponse { Template = ToProto(template) };
    }

    /// <summary>The plan item an update keeps: NOT_FOUND when the department's plan has no such item, FAILED_PRECONDITION when it was retired.</summary>
    private async Task<PlanItem> ActiveItemAsync(Relationship relationship, Guid itemId, CancellationToken ct)
    {
        var item = (await query.GetPlanAsync(relationship.Id, ct)).Item(itemId);
        return item.IsActive ? item : throw DomainException.Rule($"plan item {itemId} was retired: an update reports for an active item of the plan");
    }

    private static V1.UpdateTemplate ToProto(Template template) => new()
    {
        Version = template.TemplateVersion,
        Subject = template.Subject,
        Source = template.Source,
        SetBy = template.SetBy ?? "",
        SetAt = template.SetAt.ToProto(),
    };
}
