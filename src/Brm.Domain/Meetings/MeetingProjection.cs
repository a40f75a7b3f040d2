using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Brm.Domain.Meetings;

/// <summary>Stores <see cref="Meeting"/> inline, in the transaction that appends its events.</summary>
public sealed partial class MeetingProjection : SingleStreamProjection<Meeting, Guid>
{
    /// <summary>Only the Meeting stream's events: other streams' events never reach <see cref="Meeting.Fold"/>.</summary>
    public MeetingProjection()
    {
        foreach (var type in MeetingEvents.All)
        {
            IncludeType(type);
        }
    }

    public override Meeting? Evolve(Meeting? snapshot, Guid id, IEvent e) =>
        Meeting.Fold(snapshot, e.Data).WithVersion(e.Version);
}
