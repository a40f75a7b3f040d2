namespace Brm.Api.Hosting;

/// <summary>Where a <see cref="LocalPostgres"/> cluster lives and how it runs.</summary>
/// <param name="DataDirectory">The folder holding the cluster (<c>pg/</c>), its password, log and socket.</param>
/// <param name="BinDirectory">The folder of initdb and pg_ctl; found with <see cref="LocalPostgres.FindBinDirectory"/> when null.</param>
/// <param name="Durable">False for throw-away test clusters: fsync, full_page_writes and (unless <paramref name="SurvivesServerCrash"/>) synchronous_commit off.</param>
/// <param name="SurvivesServerCrash">With <paramref name="Durable"/> false: keep synchronous_commit on, so that a commit, once
/// acknowledged, survives a crash of the server's processes (not of the machine: fsync stays off).</param>
/// <param name="Database">The database created on start, whose connection string <see cref="LocalPostgres.StartAsync"/> returns.</param>
public sealed record LocalPostgresOptions(string DataDirectory, string? BinDirectory = null, bool Durable = true, string Database = "brm", bool SurvivesServerCrash = false);
