using System.CommandLine;
using Brm.V1;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>
/// brm export [KIND...] --format csv|json [--out DIR]: departments, stakeholders, commitments and feedback, every page
/// of them, with the columns of <see cref="Sheets"/>. departments.csv and stakeholders.csv import back unchanged.
/// </summary>
internal static class ExportCommands
{
    public static Command Create(Io io)
    {
        var kinds = new Argument<string[]>("kind")
        {
            Description = $"What to export: {string.Join(", ", Sheets.Kinds)} (default: all, which needs --out)", Arity = ArgumentArity.ZeroOrMore,
        };
        var format = new Option<string>("--format") { Description = "csv or json (default csv)", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var directory = Optional("--out", "Write <kind>.csv (or .json) files into this folder (default: the one kind to standard output)");
        var all = Flag("--all", "Include archived departments (and their people, commitments and feedback)");
        var export = Command("export", "Export departments, stakeholders, commitments or feedback as CSV or JSON", kinds, format, directory, all);
        Context.Run(export, io, async c =>
        {
            var chosen = c.Get(kinds) is { Length: > 0 } some ? some.Distinct().ToArray() : Sheets.Kinds;
            foreach (var kind in chosen.Where(k => !Sheets.Kinds.Contains(k)))
            {
                throw CliException.Usage($"kind: '{kind}' is not one of {string.Join(", ", Sheets.Kinds)}");
            }

            var folder = c.Get(directory);
            if (folder is null && chosen.Length > 1)
            {
                throw CliException.Usage("--out: several kinds go to files in a folder; name one kind to write to standard output");
            }

            var relationships = new List<Relationship>();
            foreach (var summary in await c.AllRelationshipsAsync(includeArchived: c.Get(all)))
            {
                relationships.Add(await c.DepartmentAsync(summary.Id));
            }

            foreach (var kind in chosen)
            {
                var table = await TableAsync(c, kind, relationships);
                if (folder is null)
                {
                    Write(table, c.Get(format), io.Out);
                    continue;
                }

                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, $"{kind}.{c.Get(format)}");
                await using (var file = new StreamWriter(path))
                {
                    Write(table, c.Get(format), file);
                }

                await io.Error.WriteLineAsync($"{kind}: {table.Rows.Count} rows written to {path}");
            }

            return 0;
        });
        return export;
    }

    private static void Write(Sheets.Table table, string format, TextWriter writer)
    {
        if (format == "json")
        {
            Sheets.WriteJson(table, writer);
        }
        else
        {
            Sheets.WriteCsv(table, writer);
        }
    }

    private static async Task<Sheets.Table> TableAsync(Context c, string kind, List<Relationship> relationships)
    {
        var codes = relationships.ToDictionary(r => r.Id, r => r.Code);
        switch (kind)
        {
            case Sheets.Departments:
                return new(Sheets.DepartmentColumns, [.. relationships.Select(Sheets.Row)]);
            case Sheets.Stakeholders:
                return new(Sheets.StakeholderColumns, [.. relationships.SelectMany(r => r.Stakeholders.Where(s => !s.Erased).Select(s => Sheets.Row(r, s)))]);
            case Sheets.Commitments:
                var commitments = await CommitmentCommands.AllAsync(c, new ListCommitmentsRequest { PageSize = 500 });
                return new(Sheets.CommitmentColumns, [.. commitments.Where(x => codes.ContainsKey(x.RelationshipId)).Select(x => Sheets.Row(codes[x.RelationshipId], x))]);
            default:
                var names = relationships.SelectMany(r => r.Stakeholders).ToDictionary(s => s.Id, s => s.Email.Length > 0 ? s.Email : s.Name);
                var feedback = await FeedbackCommands.AllAsync(c, new ListFeedbackRequest { PageSize = 500 });
                return new(Sheets.FeedbackColumns, [.. feedback.Where(f => codes.ContainsKey(f.RelationshipId))
                    .Select(f => Sheets.Row(codes[f.RelationshipId], names.GetValueOrDefault(f.FromStakeholderId, f.FromStakeholderId), f))]);
        }
    }
}
