namespace Brm.Domain;

/// <summary>
/// The lengths every capability's texts share (documented in each proto): names, titles, audiences and managers;
/// descriptions, reasons, notes and evidence. A capability with longer texts keeps its own (e.g. <c>MeetingLimits</c>).
/// </summary>
public static class TextLimits
{
    public const int NameLength = 200;
    public const int TextLength = 2000;
}
