using Brm.Api.Infrastructure;
using Brm.Api.Meetings;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Outreach;
using Brm.V1;
using Grpc.Core;
using Marten;
using Preferences = Brm.Domain.Outreach.DigestPreferences;

namespace Brm.Api.Outreach;

/// <summary>
/// The BRMs' weekly digests in brm.v1.OutreachService: their preferences (SetDigestPreferences,
/// GetDigestPreferences) and the digest as it would go now (PreviewDigest). Sending is <see cref="DigestTickHandler"/>'s.
/// </summary>
public sealed class Digests(Mutations mutations, IQuerySession query, TimeProvider clock)
{
    public Task<SetDigestPreferencesResponse> SetPreferences(SetDigestPreferencesRequest request, ServerCallContext context)
    {
        var manager = request.Manager.Trim();
        return mutations.Decide<Preferences, SetDigestPreferencesResponse>(request, context, Preferences.IdFor(manager), expectedVersion: null,
            (state, by) => DigestPreferencesDecider.Decide(new SetDigestPreferences(manager, request.Email.Trim() is { Length: > 0 } email ? email : null,
                request.Day.ToDomain(), request.Hour, request.TimeZone.Trim(), request.OptedOut, by.Actor, by.At), state),
            (decided, by) => new SetDigestPreferencesResponse { Preferences = decided.State.ToProto(by.At), Version = decided.Version });
    }

    public async Task<GetDigestPreferencesResponse> GetPreferences(GetDigestPreferencesRequest request, ServerCallContext context)
    {
        var preferences = await query.DigestPreferencesAsync(request.Manager.Trim(), context.CancellationToken);
        return new GetDigestPreferencesResponse { Preferences = preferences.ToProto(clock.GetUtcNow()) };
    }

    public async Task<PreviewDigestResponse> Preview(PreviewDigestRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var manager = request.Manager.Trim();
        var preferences = await query.DigestPreferencesAsync(manager, ct);
        var digest = await query.ComposeDigestAsync(preferences, clock.GetUtcNow(), ct);
        return new PreviewDigestResponse
        {
            Subject = digest.Subject,
            BodyMarkdown = digest.BodyMarkdown,
            BodyHtml = MailMarkdown.ToHtml(digest.BodyMarkdown),
            Entries = digest.Entries,
            UntoldDeclines = digest.UntoldDeclines,
        };
    }
}

/// <summary>Reading what a digest needs: the BRM's preferences and their agenda.</summary>
public static class DigestQueries
{
    /// <summary>The BRM's preferences, or the defaults while they have set none.</summary>
    public static async Task<Preferences> DigestPreferencesAsync(this IQuerySession query, string manager, CancellationToken ct) =>
        await query.LoadAsync<Preferences>(Preferences.IdFor(manager), ct) ?? Preferences.DefaultFor(manager);

    /// <summary>The digest of the BRM's agenda at <paramref name="now"/>, for the week (in their time zone) that contains it.</summary>
    public static async Task<DigestContent> ComposeDigestAsync(this IQuerySession query, Preferences preferences, DateTimeOffset now, CancellationToken ct)
    {
        var zone = DigestSchedule.Zone(preferences.TimeZone) ?? TimeZoneInfo.Utc;
        var weekOf = DigestSchedule.MondayOf(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime));
        return await query.ComposeDigestAsync(preferences.Manager, weekOf, now, ct);
    }

    public static async Task<DigestContent> ComposeDigestAsync(this IQuerySession query, string manager, DateOnly weekOf, DateTimeOffset now, CancellationToken ct)
    {
        var sources = await query.AgendaSourcesAsync(manager, now, DigestContent.HorizonDays, ct);
        var entries = Agenda.Of(sources, now, DigestContent.HorizonDays, Brm.Domain.Meetings.MeetingLimits.DefaultWindowDays);
        return DigestContent.Compose(manager, weekOf, entries);
    }

    public static V1.DigestPreferences ToProto(this Preferences preferences, DateTimeOffset now) => new()
    {
        Manager = preferences.Manager,
        Email = preferences.Address ?? "",
        Day = preferences.Day.ToProto(),
        Hour = preferences.Hour,
        TimeZone = preferences.TimeZone,
        OptedOut = preferences.OptedOut,
        UpdatedAt = preferences.SetAt?.ToProto(),
        NextDigestAt = DigestSchedule.Next(preferences, now)?.ToProto(),
    };

    public static DayOfWeek ToDomain(this Weekday day) => (DayOfWeek)((int)day % 7);

    public static Weekday ToProto(this DayOfWeek day) => day == DayOfWeek.Sunday ? Weekday.Sunday : (Weekday)(int)day;
}
