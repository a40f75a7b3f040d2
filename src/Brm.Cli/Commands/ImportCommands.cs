using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Brm.V1;
using CsvHelper;
using CsvHelper.Configuration;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>
/// brm import departments.csv | stakeholders.csv: checks every row first (the service's rules, the department
/// exists, no repeat within the file) and reports each bad row on one line with its line number and field. With a
/// bad row it imports nothing, unless --skip-bad says to import the good ones. Rows already there are skipped, and
/// each row's request id is derived from its content, so a rerun adds nothing twice.
/// </summary>
internal static partial class ImportCommands
{
    public static Command Create(Io io)
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header line: departments (code,name,manager) or stakeholders (department,name,title,level,email,influence,interest)" };
        var kind = Optional("--kind", "departments or stakeholders (default: from the file name)");
        var skipBad = Flag("--skip-bad", "Import the good rows even when some are bad (the bad ones are still reported, and the exit code is 2)");
        var check = Flag("--check", "Only check the rows; import nothing");
        var import = Command("import", "Import departments or stakeholders from a CSV file; rerunning it adds nothing twice", file, kind, skipBad, check);
        Context.Run(import, io, async c =>
        {
            var path = c.Get(file);
            if (!path.Exists)
            {
                throw CliException.NotFound($"file: {path.FullName} does not exist");
            }

            var what = c.Get(kind) ?? (path.Name.Contains("stakeholder", StringComparison.OrdinalIgnoreCase) ? Sheets.Stakeholders
                : path.Name.Contains("department", StringComparison.OrdinalIgnoreCase) ? Sheets.Departments
                : throw CliException.Usage("--kind: say departments or stakeholders (the file name says neither)"));
            var sheet = what switch
            {
                Sheets.Departments => new Sheet(Sheets.DepartmentColumns, ["code", "name"], "code", CheckDepartment, DepartmentKey, AddDepartmentAsync),
                Sheets.Stakeholders => new Sheet(Sheets.StakeholderColumns, ["department", "name", "title", "level"], "department", CheckStakeholder, StakeholderKey, AddStakeholderAsync),
                _ => throw CliException.Usage($"--kind: '{what}' is not departments or stakeholders"),
            };

            var rows = Read(path.FullName, sheet);
            var existing = await ReferencedAsync(c, rows.Select(r => r[sheet.Department]));
            var bad = Check(rows, sheet, existing);
            foreach (var (line, problem) in bad)
            {
                await io.Error.WriteLineAsync($"line {line}: {problem}");
            }

            var good = rows.Where(r => !bad.ContainsKey(r.Line)).ToList();
            var apply = !c.Get(check) && (bad.Count == 0 || c.Get(skipBad));
            var (added, present) = apply ? await ApplyAsync(c, sheet, good, existing) : (0, 0);

            var summary = new Struct
            {
                Fields =
                {
                    ["kind"] = Value.ForString(what), ["rows"] = Value.ForNumber(rows.Count), ["bad_rows"] = Value.ForNumber(bad.Count),
                    ["added"] = Value.ForNumber(added), ["already_present"] = Value.ForNumber(present), ["applied"] = Value.ForBool(apply),
                    ["bad"] = Value.ForList([.. bad.Select(b => Value.ForStruct(new Struct
                    {
                        Fields = { ["line"] = Value.ForNumber(b.Key), ["problem"] = Value.ForString(b.Value) },
                    }))]),
                },
            };
            c.Out.Write(summary, _ => c.Out.Line(
                $"{what}: {rows.Count} rows, {bad.Count} bad, {added} added, {present} already there."
                + (apply ? "" : c.Get(check) ? " Checked only: nothing imported." : " Nothing imported: fix the bad rows and rerun, or pass --skip-bad to import the good ones.")));
            return bad.Count == 0 ? ExitCodes.Ok : ExitCodes.Usage;
        });
        return import;
    }

    /// <summary>What a kind of file is: its columns, the required ones, its checks, its natural key and how a row is applied.</summary>
    private sealed record Sheet(
        string[] Columns,
        string[] Required,
        string Department,
        Func<Row, IReadOnlyDictionary<string, Relationship>, IEnumerable<string>> Check,
        Func<Row, string> Key,
        Func<Context, Row, IReadOnlyDictionary<string, Relationship>, Task<bool>> Apply);

    /// <summary>The departments the rows name that exist (archived ones too), by code.</summary>
    private static async Task<Dictionary<string, Relationship>> ReferencedAsync(Context c, IEnumerable<string> codes)
    {
        var known = (await c.AllRelationshipsAsync(includeArchived: true)).Select(r => r.Code).ToHashSet();
        var found = new Dictionary<string, Relationship>();
        foreach (var code in codes.Where(known.Contains).Distinct())
        {
            found[code] = await c.DepartmentAsync(code);
        }

        return found;
    }

    /// <summary>A CSV row: the line it starts on and its cells by column.</summary>
    private sealed record Row(int Line, Dictionary<string, string> Cells)
    {
        public string this[string column] => Cells.TryGetValue(column, out var value) ? value : "";
    }

    private static List<Row> Read(string path, Sheet sheet)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim, MissingFieldFound = null, DetectDelimiter = true, DetectDelimiterValues = [",", ";", "\t"],
        });
        if (!csv.Read() || !csv.ReadHeader())
        {
            throw CliException.Usage($"file: {Path.GetFileName(path)} is empty; its first line names the columns: {string.Join(",", sheet.Columns)}");
        }

        var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (header.FirstOrDefault(h => !sheet.Columns.Contains(h)) is { } unknown)
        {
            throw CliException.Usage($"line 1: '{unknown}' is not a column; the columns are {string.Join(",", sheet.Columns)}");
        }

        if (sheet.Required.FirstOrDefault(r => !header.Contains(r)) is { } missing)
        {
            throw CliException.Usage($"line 1: the column '{missing}' is missing; the columns are {string.Join(",", sheet.Columns)}");
        }

        var rows = new List<Row>();
        while (csv.Read())
        {
            var cells = new Dictionary<string, string>();
            for (var i = 0; i < header.Length; i++)
            {
                cells[header[i]] = csv.TryGetField<string>(i, out var value) ? value?.Trim() ?? "" : "";
            }

            // RawRow is the record's last line: a quoted cell may span lines, and the line reported is the first.
            var spans = csv.Parser.RawRecord.TrimEnd('\r', '\n').Count(ch => ch == '\n');
            rows.Add(new Row(csv.Parser.RawRow - spans, cells));
        }

        return rows;
    }

    /// <summary>Every problem of every row, one line per bad row: the field and the problem (several joined by "; ").</summary>
    private static SortedDictionary<int, string> Check(List<Row> rows, Sheet sheet, IReadOnlyDictionary<string, Relationship> existing)
    {
        var bad = new SortedDictionary<int, string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            var problems = sheet.Check(row, existing).ToList();
            if (problems.Count == 0 && !seen.TryAdd(sheet.Key(row), row.Line))
            {
                problems.Add($"{sheet.Required[0]}: repeats line {seen[sheet.Key(row)]}");
            }

            if (problems.Count > 0)
            {
                bad[row.Line] = string.Join("; ", problems);
            }
        }

        return bad;
    }

    private static async Task<(int Added, int Present)> ApplyAsync(Context c, Sheet sheet, List<Row> rows, IReadOnlyDictionary<string, Relationship> existing)
    {
        var (added, present) = (0, 0);
        foreach (var row in rows)
        {
            try
            {
                if (await sheet.Apply(c, row, existing)) { added++; } else { present++; }
            }
            catch (RpcException e)
            {
                throw new CliException(ExitCodes.For(e.StatusCode), $"line {row.Line}: {ExitCodes.Describe(e)} ({added} rows added before it; rerun to continue)");
            }

            c.Out.Progress(added + present, rows.Count, "rows");
        }

        return (added, present);
    }

    private static IEnumerable<string> CheckDepartment(Row row, IReadOnlyDictionary<string, Relationship> existing)
    {
        if (row["code"].Length is < 2 or > 40 || !CodePattern().IsMatch(row["code"]))
        {
            yield return $"code: '{row["code"]}' is not 2-40 lower-case letters, digits and single hyphens";
        }

        foreach (var problem in Text(row, "name", required: true).Concat(Text(row, "manager", required: false)))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> CheckStakeholder(Row row, IReadOnlyDictionary<string, Relationship> existing)
    {
        var problems = new List<string>();
        if (row["department"].Length == 0)
        {
            problems.Add("department: required (the department's code)");
        }
        else if (!existing.TryGetValue(row["department"], out var relationship))
        {
            problems.Add($"department: no department '{row["department"]}' (import departments first)");
        }
        else if (relationship.Archived)
        {
            problems.Add($"department: '{row["department"]}' is archived");
        }

        problems.AddRange(Text(row, "name", required: true));
        problems.AddRange(Text(row, "title", required: true));
        try
        {
            _ = StakeholderCommands.NewStakeholder("", row["name"], row["title"], row["level"].Length == 0 ? "unspecified" : row["level"], null, row["influence"], row["interest"]);
        }
        catch (CliException e)
        {
            problems.Add(e.Message);
        }

        var email = row["email"];
        if (email.Length > 0 && (email.Length > 254 || !IsEmail(email)))
        {
            problems.Add($"email: '{email}' is not an email address");
        }

        return problems;
    }

    private static IEnumerable<string> Text(Row row, string column, bool required) =>
        row[column].Length == 0 && required ? [$"{column}: required"]
        : row[column].Length > 200 ? [$"{column}: at most 200 characters ({row[column].Length} given)"]
        : [];

    private static string DepartmentKey(Row row) => row["code"];

    /// <summary>A stakeholder is the same person when the department and the email match, or, without an email, the name.</summary>
    private static string StakeholderKey(Row row) => $"{row["department"]}\u001f{(row["email"].Length > 0 ? row["email"] : "name:" + row["name"])}";

    private static async Task<bool> AddDepartmentAsync(Context c, Row row, IReadOnlyDictionary<string, Relationship> existing)
    {
        if (existing.ContainsKey(row["code"]))
        {
            return false;
        }

        try
        {
            await c.Relationships.RegisterDepartmentAsync(new RegisterDepartmentRequest
            {
                RequestId = Values.StableId("import", Sheets.Departments, row["code"], row["name"], row["manager"]),
                Code = row["code"], Name = row["name"], Manager = row["manager"],
            }, cancellationToken: c.Cancellation);
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            return false; // registered meanwhile, by someone else
        }
    }

    private static async Task<bool> AddStakeholderAsync(Context c, Row row, IReadOnlyDictionary<string, Relationship> existing)
    {
        var relationship = existing[row["department"]];
        var email = row["email"];
        if (relationship.Stakeholders.Any(s => !s.Erased && (email.Length > 0
                ? string.Equals(s.Email, email, StringComparison.OrdinalIgnoreCase)
                : s.Email.Length == 0 && string.Equals(s.Name, row["name"], StringComparison.OrdinalIgnoreCase))))
        {
            return false;
        }

        var request = StakeholderCommands.NewStakeholder(relationship.Id, row["name"], row["title"], row["level"], email, row["influence"], row["interest"]);
        request.RequestId = Values.StableId("import", Sheets.Stakeholders, relationship.Id, request.ToString());
        try
        {
            await c.Relationships.AddStakeholderAsync(request, cancellationToken: c.Cancellation);
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            return false; // someone else added them meanwhile
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex CodePattern();

    /// <summary>The service's rule (ValidationRules.IsEmail): one @, a dot in the domain, no spaces.</summary>
    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 3
            && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.') && !value.Any(char.IsWhiteSpace);
    }
}
