using System.Globalization;
using System.Text.Json;
using Brm.V1;
using CsvHelper;

namespace Brm.Cli.Commands;

/// <summary>
/// The tables `brm import` reads and `brm export` writes: one list of columns per kind, so an exported
/// departments.csv or stakeholders.csv imports back unchanged. Columns are stable: new ones are only ever added at the end.
/// </summary>
internal static class Sheets
{
    public const string Departments = "departments";
    public const string Stakeholders = "stakeholders";
    public const string Commitments = "commitments";
    public const string Feedback = "feedback";

    public static readonly string[] Kinds = [Departments, Stakeholders, Commitments, Feedback];

    public static readonly string[] DepartmentColumns = ["code", "name", "manager"];

    public static readonly string[] StakeholderColumns = ["department", "name", "title", "level", "email", "influence", "interest"];

    public static readonly string[] CommitmentColumns =
        ["id", "department", "title", "status", "owner", "due", "overdue", "direction", "visible_to_business", "renegotiations", "outcome_told", "made_at", "closed_at"];

    public static readonly string[] FeedbackColumns =
        ["id", "department", "from", "anonymous", "channel", "rating", "comment", "about", "status", "loop_closed", "loop_open_days", "received_at"];

    /// <summary>A table: its columns and its rows (values are strings, numbers, booleans or null).</summary>
    public sealed record Table(string[] Columns, List<object?[]> Rows);

    public static object?[] Row(Relationship r) => [r.Code, r.Name, r.Manager];

    public static object?[] Row(Relationship r, Stakeholder s) =>
        [r.Code, s.Name, s.Title, Output.Enum(s.Level), s.Email, Output.Enum(s.Influence), Output.Enum(s.Interest)];

    public static object?[] Row(string department, Commitment c) =>
    [
        c.Id, department, c.Title, Output.Enum(c.Status), c.Owner, Output.Day(c.DueDate), c.Overdue, Output.Enum(c.Direction), c.VisibleToBusiness,
        c.Renegotiations, c.OutcomeTold, Moment(c.MadeAt), Moment(c.ClosedAt),
    ];

    public static object?[] Row(string department, string from, Brm.V1.Feedback f) =>
    [
        f.Id, department, from, f.Anonymous, Output.Enum(f.Channel), f.HasRating ? f.Rating : null, f.Comment, About(f.About), Output.Enum(f.Status),
        f.LoopClosed, f.LoopOpenDays, Moment(f.ReceivedAt),
    ];

    private static string About(FeedbackSubject? about) => about switch
    {
        { Kind: FeedbackSubjectKind.Meeting } => $"meeting {about.MeetingId}",
        { Kind: FeedbackSubjectKind.Commitment } => $"commitment {about.CommitmentId}",
        { Kind: FeedbackSubjectKind.Periodic } => $"periodic {Output.Enum(about.Cadence)}",
        _ => "general",
    };

    /// <summary>A moment in UTC, ISO 8601 (the same in every time zone); empty when unset.</summary>
    private static string Moment(Google.Protobuf.WellKnownTypes.Timestamp? at) =>
        at is null ? "" : at.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>CSV with a header line, RFC 4180 quoting, invariant culture.</summary>
    public static void WriteCsv(Table table, TextWriter writer)
    {
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var column in table.Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var row in table.Rows)
        {
            foreach (var value in row)
            {
                csv.WriteField(value switch
                {
                    null => "",
                    bool b => b ? "true" : "false",
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                });
            }

            csv.NextRecord();
        }
    }

    /// <summary>A JSON array of objects, one per row, keyed by the columns.</summary>
    public static void WriteJson(Table table, TextWriter writer)
    {
        var rows = table.Rows.Select(row => table.Columns.Zip(row).ToDictionary(pair => pair.First, pair => pair.Second));
        writer.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
    }
}
