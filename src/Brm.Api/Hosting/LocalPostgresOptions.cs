namespace Brm.Api.Hosting;

/// <summary>Where a <see cref="LocalPostgres"/> cluster lives and how it runs.</summary>
/// <param name="DataDirectory">The folder holding the cluster (<c>pg/</c>), its passwords and its log.</param>
/// <param name="BinDirectory">The folder of initdb and pg_ctl; found with <see cref="PostgresBinaries.Find"/> when null.</param>
/// <param name="Database">The database created on start, whose connection string <see cref="LocalPostgres.StartAsync"/> returns.</param>
/// <param name="ServerSettings">Server settings on top of PostgreSQL's defaults (e.g. <c>fsync=off</c> for a throw-away
/// test cluster); names and values are plain words (letters, digits, '_' and '.').</param>
public sealed record LocalPostgresOptions(
    string DataDirectory, string? BinDirectory = null, string Database = "brm", IReadOnlyDictionary<string, string>? ServerSettings = null);
