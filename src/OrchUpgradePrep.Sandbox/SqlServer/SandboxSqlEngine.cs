using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// The sandbox's SQL Server: answers the statements orchprep sends (and a few ad-hoc ones such as SELECT @@VERSION)
/// from simulated state — databases, msdb backup history, real backup files under <see cref="RootDirectory"/> — and
/// returns the error SQL Server would (102, 208, 2812, 3201, …) for anything else. Every batch is parsed first with
/// SQL Server's own parser for the simulated version (<see cref="SandboxSqlParser"/>) and dispatched on the statement
/// kind; a valid statement it does not simulate answers Msg 50000 naming it. Never writes outside its root.
/// </summary>
public sealed partial class SandboxSqlEngine : ISqlBatchHandler
{
    private readonly SandboxSqlProfile _profile;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxDatabase> _databases = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<MsdbBackupSet> _history = [];
    private decimal _lsn = 37_000_000_412_500_001m;
    private long _nextBackupSetId = 1;

    private readonly SandboxOrchestratorQueries? _orchestrator;
    private readonly SandboxPermissions _permissions;
    private readonly SandboxSqlParser _parser;

    /// <param name="dataDirectory">Where database files go (default: root/data). Elsewhere when the root is kept after
    /// the run: the sparse data files are rebuilt at each start and must not fill a kept folder.</param>
    public SandboxSqlEngine(SandboxSqlProfile profile, string rootDirectory, TimeProvider time, Orchestrator.SandboxOrchestrator? orchestrator = null, string? dataDirectory = null)
    {
        _profile = profile;
        _time = time;
        _permissions = SandboxPermissions.For(profile);
        _orchestrator = orchestrator is null ? null : new SandboxOrchestratorQueries(orchestrator, profile);
        _parser = new SandboxSqlParser(profile);
        RootDirectory = Path.GetFullPath(rootDirectory);
        DataDirectory = dataDirectory is null ? Path.Combine(RootDirectory, "data") : Path.GetFullPath(dataDirectory);
        BackupDirectory = Path.Combine(RootDirectory, "backup");
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(BackupDirectory);

        if (profile.HostsOrchestratorDatabase)
        {
            var main = new SandboxDatabase(profile.DatabaseName, profile.DatabaseCollation, profile.RecoveryModel,
            [
                new SandboxDatabaseFile(profile.DatabaseName, Path.Combine(DataDirectory, profile.DatabaseName + ".mdf"), "D", profile.DataFileBytes, profile.UsedDataBytes, 1),
                new SandboxDatabaseFile(profile.DatabaseName + "_log", Path.Combine(DataDirectory, profile.DatabaseName + "_log.ldf"), "L", profile.LogFileBytes, profile.UsedLogBytes, 2),
            ])
            {
                HasMasterKey = profile.MasterKey != SandboxMasterKey.None,
                MasterKeyEncryptedByServer = profile.MasterKey == SandboxMasterKey.EncryptedByServiceMasterKey,
            };
            foreach (var file in main.Files)
            {
                CreateSparse(file.PhysicalName, file.SizeBytes);
            }

            _databases[main.Name] = main;
        }

        _databases["master"] = new SandboxDatabase("master", profile.Collation, "SIMPLE", []);
        _databases["msdb"] = new SandboxDatabase("msdb", profile.Collation, "SIMPLE", []);
        var start = time.GetUtcNow().UtcDateTime;
        foreach (var seeded in profile.History)
        {
            var finish = start - seeded.Age;
            _history.Add(new MsdbBackupSet(_nextBackupSetId++, Guid.NewGuid(), "nightly full", "maintenance plan", profile.DatabaseName, seeded.CopyOnly, seeded.HasChecksums,
                seeded.IsDamaged, NextLsn(), NextLsn(), _lsn, 0, profile.UsedDataBytes, profile.UsedDataBytes, finish - seeded.Duration, finish, [seeded.DeviceName]));
        }
    }

    public string RootDirectory { get; }
    public string DataDirectory { get; }

    /// <summary>Another instance's folders this one reads through a share (<see cref="SandboxSqlServerOptions.SharedDirectories"/>).</summary>
    public IReadOnlyList<string> SharedDirectories { get; init; } = [];
    public string BackupDirectory { get; }

    /// <summary>The one simulated volume (data and backups), as sys.dm_os_volume_stats names it.</summary>
    public string VolumeMountPoint => RootDirectory + Path.DirectorySeparatorChar;

    public SandboxSqlProfile Profile => _profile;

    /// <summary>Who may do what (logins, users, roles, grants); every statement asks it before it acts.</summary>
    public SandboxPermissions Permissions => _permissions;

    /// <summary>The simulated Orchestrator whose tables the Orchestrator database holds; null when the server has none.</summary>
    internal Orchestrator.SandboxOrchestrator? Orchestrator => _orchestrator?.Model;

    internal TimeProvider Clock => _time;

    public IReadOnlyList<string> DatabaseNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _databases.Keys.Order(StringComparer.OrdinalIgnoreCase)];
            }
        }
    }

    public int HistoryCount
    {
        get
        {
            lock (_gate)
            {
                return _history.Count;
            }
        }
    }

    /// <summary>msdb history rows of one database (prepare's probe of its own database leaves a row of that one).</summary>
    public int HistoryCountOf(string database)
    {
        lock (_gate)
        {
            return _history.Count(h => string.Equals(h.DatabaseName, database, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Free bytes now: the profile's free space minus what lives under the root.</summary>
    public long AvailableBytes
    {
        get
        {
            long used = 0;
            foreach (var file in new DirectoryInfo(RootDirectory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                // Sparse database files count by their used pages, not their allocated size.
                used += file.DirectoryName == DataDirectory ? 0 : file.Length;
            }

            return Math.Max(0, _profile.FreeBytes - used);
        }
    }

    public async Task ExecuteAsync(SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (request.IsRpc && request.Kind != SqlRequestKind.ExecuteSql)
        {
            throw new SqlErrorException(2812, 16, 62, $"Could not find stored procedure '{request.ProcName ?? request.Text}'.");
        }

        if (_profile.Fault == SandboxSqlFault.DropConnectionOnHistoryQuery && request.Text.Contains("FROM msdb.dbo.backupset", StringComparison.OrdinalIgnoreCase))
        {
            throw new Tds.SqlConnectionDroppedException("sandbox fault: socket closed while reading msdb.dbo.backupset");
        }

        // Like SQL Server, the whole batch (or sp_executesql's statement) is parsed before any of it runs.
        var batch = Parse(request);
        var setSinceDone = batch is null;
        foreach (var statement in batch?.Statements ?? [])
        {
            var part = request with { Text = request.Text.Substring(statement.StartOffset, statement.FragmentLength) };
            setSinceDone = IsSet(statement);
            await ExecuteStatementAsync(statement, part, response, cancellationToken);
        }

        if (setSinceDone)
        {
            await response.SendDoneAsync(null, cancellationToken);
        }
    }

    /// <summary>The error a statement the sandbox parses but does not simulate answers with: never a made-up success.</summary>
    internal static SqlErrorException NotSimulated(string what) => new(50000, 16, 1, $"sandbox: {what} is not simulated by the orchprep sandbox.");

    private TSqlBatch? Parse(SqlRequest request)
    {
        var quotedIdentifier = !string.Equals(request.Session.Options["QUOTED_IDENTIFIER"], "OFF", StringComparison.OrdinalIgnoreCase);
        try
        {
            return _parser.Parse(request.Text, quotedIdentifier);
        }
        catch (SqlErrorException) when (SandboxSetStatements.StartsWithSet(request.Text))
        {
            // SQL Server names an unknown SET option (195) and points at a bad value: the SET reader words those.
            SandboxSetStatements.Parse(request.Text);
            throw;
        }
    }

    private static bool IsSet(TSqlStatement statement) =>
        statement.ScriptTokenStream[statement.FirstTokenIndex].TokenType == TSqlTokenType.Set;

    private async Task ExecuteStatementAsync(TSqlStatement statement, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        var text = Normalize(request.Text);
        switch (statement)
        {
            case var _ when IsSet(statement):
                await SetAsync(request, response, cancellationToken);
                break;
            case UseStatement use:
                {
                    // db-lib's dbuse() (pymssql's database=) sends USE after login: switch, as SQL Server does (ENVCHANGE + 5701).
                    var name = use.DatabaseName.Value;
                    var database = Database(name) ?? throw new SqlErrorException(911, 16, 1, $"Database '{name}' does not exist. Make sure that the name is entered correctly.");
                    _permissions.DemandAccess(request.Session.Login, database.Name);
                    await response.ChangeDatabaseAsync(database.Name, cancellationToken);
                    await response.SendInfoAsync(5701, 2, 0, $"Changed database context to '{database.Name}'.", cancellationToken);
                    await response.SendDoneAsync(null, cancellationToken);
                    break;
                }

            case BackupDatabaseStatement backup:
                RequireSimulated(backup);
                await new SandboxBackupOperation(this, response, _time) { Login = request.Session.Login }.BackupAsync(text, cancellationToken);
                break;
            case BackupServiceMasterKeyStatement:
                await BackupServiceMasterKeyAsync(text, request.Session.Login, response, cancellationToken);
                break;
            case BackupMasterKeyStatement:
                BackupDatabaseMasterKey(text, request.Session.Login);
                break;
            case RestoreStatement restore:
                RequireSimulated(restore);
                await new SandboxBackupOperation(this, response, _time) { Login = request.Session.Login }.RestoreAsync(text, cancellationToken);
                break;
            case DbccStatement { Command: DbccCommand.CheckDB }:
                await CheckDbAsync(text, request.Session.Login, response, cancellationToken);
                break;
            case CreateDatabaseStatement create:
                await CreateDatabaseAsync(create, request.Session.Login, response, cancellationToken);
                break;
            case DropDatabaseStatement { Databases.Count: 1, IsIfExists: false }:
                await DropDatabaseAsync(text, request.Session.Login, response, cancellationToken);
                break;
            case SelectStatement select:
                await SelectAsync(select, request, response, cancellationToken);
                break;
            case ExecuteStatement execute:
                await ExecuteProcedureAsync(execute, request, response, cancellationToken);
                break;
            default:
                throw NotSimulated(statement.GetType().Name);
        }
    }

    /// <summary>BACKUP DATABASE to disk files with the options the sandbox simulates; any other form (a logical device,
    /// URL, FILE/FILEGROUP, DIFFERENTIAL, ENCRYPTION, NOINIT's append …) would need a simulation it does not have.</summary>
    private static void RequireSimulated(BackupDatabaseStatement backup)
    {
        if (backup.Files.Count > 0 || backup.MirrorToClauses.Count > 0 || backup.Devices.Any(d => d.DeviceType != DeviceType.Disk || d.PhysicalDevice is null))
        {
            throw NotSimulated("BACKUP DATABASE other than TO DISK = 'file'");
        }

        if (backup.Options.FirstOrDefault(o => o.OptionKind is not (BackupOptionKind.CopyOnly or BackupOptionKind.Checksum or BackupOptionKind.NoChecksum
            or BackupOptionKind.Init or BackupOptionKind.Format or BackupOptionKind.Skip or BackupOptionKind.Compression or BackupOptionKind.NoCompression
            or BackupOptionKind.Stats or BackupOptionKind.Name or BackupOptionKind.Description)) is { } option)
        {
            throw NotSimulated($"BACKUP DATABASE WITH {option.OptionKind}");
        }
    }

    /// <summary>RESTORE DATABASE (as a new copy, recovered) and the read-only VERIFYONLY/HEADERONLY/FILELISTONLY from disk files.</summary>
    private static void RequireSimulated(RestoreStatement restore)
    {
        if (restore.Kind is not (RestoreStatementKind.Database or RestoreStatementKind.VerifyOnly or RestoreStatementKind.HeaderOnly or RestoreStatementKind.FileListOnly)
            || restore.Files.Count > 0 || restore.Devices.Any(d => d.DeviceType != DeviceType.Disk || d.PhysicalDevice is null))
        {
            throw NotSimulated($"RESTORE {restore.Kind.ToString().ToUpperInvariant()} in this form");
        }

        var allowed = restore.Kind == RestoreStatementKind.Database
            ? new[] { RestoreOptionKind.Checksum, RestoreOptionKind.NoChecksum, RestoreOptionKind.Stats, RestoreOptionKind.Recovery, RestoreOptionKind.Move }
            : [RestoreOptionKind.Checksum, RestoreOptionKind.NoChecksum, RestoreOptionKind.Stats];
        if (restore.Options.FirstOrDefault(o => !allowed.Contains(o.OptionKind)) is { } option)
        {
            throw NotSimulated($"RESTORE {restore.Kind.ToString().ToUpperInvariant()} WITH {option.OptionKind}");
        }
    }

    /// <summary>A SELECT: every name bound first (208, 207, 4104, 209, 137), then orchprep's own joins go to their
    /// hand-written answers (only as orchprep sends them) and everything else to the generic evaluator.</summary>
    private async Task SelectAsync(SelectStatement select, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        var catalog = new SandboxCatalog(this, _orchestrator is not null);
        var tables = new SandboxNameBinder(catalog, request.Session.Database, request.Parameters).Bind(select);
        var text = Normalize(request.Text);
        if (tables.Any(t => t.Object.Home == SandboxObjectHome.Msdb))
        {
            RequireOwnQuery(text, BackupQueries.HistoryOfBackupSet, RecentFullVerifiedBackupCheck.HistoryQuery, DatabaseSizeCheck.ThroughputQuery, ServiceAccountAccessCheck.RecentDevicesQuery);
            await new SandboxCatalogQueries(this).HistoryAsync(text, request, response, cancellationToken);
        }
        else if (tables.Any(t => t.Object.Name == "dm_db_partition_stats"))
        {
            RequireOwnQuery(text, LogHygieneCheck.TablesQuery);
            await new SandboxCatalogQueries(this).LogTablesAsync(request, response, _orchestrator is not null, cancellationToken);
        }
        else if (tables.Any(t => t.Object.IsFunction))
        {
            RequireOwnQuery(text, BackupQueries.Volumes);
            await new SandboxCatalogQueries(this).VolumesAsync(request, response, cancellationToken);
        }
        else if (tables.Count == 1 && tables[0].Object.Home == SandboxObjectHome.OrchestratorDatabase && _orchestrator is not null
            && select.QueryExpression is QuerySpecification single
            && SandboxOrchestratorTables.OwnQueries.FirstOrDefault(q => string.Equals(Normalize(q.Query), text, StringComparison.OrdinalIgnoreCase)) is { Query: not null } own)
        {
            _permissions.DemandObject(request.Session.Login, request.Session.Database, "dbo", own.Table, "SELECT");
            await new SandboxSelectEvaluator(this, catalog, request).AnswerAsync(single, tables, response, cancellationToken);
        }
        else if (tables.Any(t => t.Object.Home == SandboxObjectHome.OrchestratorDatabase))
        {
            RequireOwnQuery(text, OrchestratorDatabase.ActiveJobsQuery, LogHygieneCheck.BusiestRunbookLogQuery);
            if (string.Equals(text, Normalize(LogHygieneCheck.BusiestRunbookLogQuery), StringComparison.OrdinalIgnoreCase))
            {
                await new SandboxCatalogQueries(this).BusiestRunbookLogAsync(request, response, _orchestrator is not null, cancellationToken);
                return;
            }

            DemandOrchestratorRead(request.Session);
            await _orchestrator!.AnswerAsync(text, request, response, cancellationToken);
        }
        else if (select.QueryExpression is QuerySpecification specification)
        {
            foreach (var table in tables)
            {
                // A three-part name into a database the login cannot use (msdb.sys.objects without a user there): 916.
                _permissions.DemandAccess(request.Session.Login, table.Database);
            }

            if (tables.Any(t => t.Object.Name is "dm_database_encryption_keys" or "dm_server_services"))
            {
                // A server-scoped DMV: VIEW SERVER STATE (SQL Server 2022: VIEW SERVER SECURITY STATE, which it implies).
                await _permissions.DemandViewServerStateAsync(request.Session.Login, response, cancellationToken);
            }

            await new SandboxSelectEvaluator(this, catalog, request).AnswerAsync(specification, tables, response, cancellationToken);
        }
        else
        {
            throw NotSimulated(select.QueryExpression.GetType().Name);
        }
    }

    private static void RequireOwnQuery(string text, params string[] queries)
    {
        if (!queries.Any(q => string.Equals(Normalize(q), text, StringComparison.OrdinalIgnoreCase)))
        {
            throw NotSimulated("a SELECT over msdb history, volumes or Orchestrator's tables other than orchprep's own");
        }
    }

    /// <summary>EXEC of a catalogued procedure (bound by SQL Server's rules), else 2812 — also for a batch whose first
    /// word is not a statement (SELEC 1), which SQL Server reads as a procedure call.</summary>
    private async Task ExecuteProcedureAsync(ExecuteStatement execute, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        var specification = execute.ExecuteSpecification;
        if (specification.ExecutableEntity is not ExecutableProcedureReference { ProcedureReference.ProcedureReference.Name: { } name }
            || specification.LinkedServer is not null || specification.Variable is not null || execute.Options.Count > 0)
        {
            throw NotSimulated("EXEC of a string, a procedure variable, a linked server or WITH options");
        }

        var written = string.Join('.', name.Identifiers.Select(i => i.Value));
        var first = request.Text.Trim();
        var call = SandboxProcedureCall.TryParse(first.StartsWith("EXEC", StringComparison.OrdinalIgnoreCase) ? first : "EXEC " + first);
        if (call is null || _orchestrator?.Find(call, request) is not { } procedure)
        {
            throw new SqlErrorException(2812, 16, 62, $"Could not find stored procedure '{written}'.");
        }

        _permissions.DemandObject(request.Session.Login, request.Session.Database, procedure.Schema, procedure.Name, "EXECUTE");
        await _orchestrator.ExecuteAsync(procedure, call, request, response, cancellationToken);
    }

    /// <summary>One SET statement: recorded in the session when sent as a batch (it lasts until changed or the
    /// connection is reset); inside sp_executesql only for that call's scope (SQL Server restores the caller's options).</summary>
    private static async Task SetAsync(SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        var (options, rest) = SandboxSetStatements.Parse(request.Text);
        if (rest.Length > 0)
        {
            throw NotSimulated($"the statement '{rest}'");
        }

        foreach (var (option, value) in options)
        {
            if (request.Kind == SqlRequestKind.Batch)
            {
                request.Session.Options.Set(option, value);
            }

            if (option == "LANGUAGE")
            {
                await response.SendInfoAsync(5703, 1, 0, "Changed language setting to us_english.", cancellationToken);
            }
        }
    }

    /// <summary>The active-jobs query reads the Runtime.Jobs view and four dbo tables: SELECT on each (229 names the first
    /// refused, as SQL Server checks them in the order the query names them). Outside the Orchestrator database 208 follows.</summary>
    private void DemandOrchestratorRead(TdsSessionInfo session)
    {
        if (!string.Equals(session.Database, _profile.DatabaseName, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (var (schema, name) in SandboxOrchestratorQueries.ActiveJobsObjects)
        {
            _permissions.DemandObject(session.Login, session.Database, schema, name, "SELECT");
        }
    }

    internal static string Normalize(string text) => WhitespacePattern().Replace(text.Trim().TrimEnd(';').Trim(), " ");

    internal decimal NextLsn()
    {
        lock (_gate)
        {
            _lsn += 1_000_000_000m;
            return _lsn;
        }
    }

    internal SandboxDatabase? Database(string name)
    {
        lock (_gate)
        {
            return _databases.GetValueOrDefault(name);
        }
    }

    /// <summary>Adds a database unless one of that name exists (check and add under one lock: restores run concurrently).</summary>
    internal bool TryAddDatabase(SandboxDatabase database)
    {
        lock (_gate)
        {
            return _databases.TryAdd(database.Name, database);
        }
    }

    /// <summary>The database of that name, replaced while it exists (a RESTORE that finished brings its copy online).</summary>
    internal void ReplaceDatabase(SandboxDatabase database)
    {
        lock (_gate)
        {
            if (_databases.ContainsKey(database.Name))
            {
                _databases[database.Name] = database;
            }
        }
    }

    internal IReadOnlyList<SandboxDatabase> Databases()
    {
        lock (_gate)
        {
            return [.. _databases.Values];
        }
    }

    internal IReadOnlyList<MsdbBackupSet> History()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    internal void RecordBackup(Func<long, MsdbBackupSet> create)
    {
        lock (_gate)
        {
            _history.Add(create(_nextBackupSetId++));
        }
    }

    /// <summary>A backup file the engine may read: its own (<see cref="Writable"/>) or one in a shared folder of another
    /// instance; null with the operating system error SQL Server would name (5 access denied; 3 on another machine, where
    /// the path does not exist).</summary>
    internal (string? Path, string OsError) Readable(string path)
    {
        if (Writable(path) is { } own)
        {
            return (own, string.Empty);
        }

        try
        {
            var full = Path.GetFullPath(path);
            if (SharedDirectories.Any(d => full.StartsWith(Path.GetFullPath(d).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                return (full, string.Empty);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return (null, "123(The filename, directory name, or volume label syntax is incorrect.)");
        }

        return (null, _profile.OnAnotherMachine ? "3(The system cannot find the path specified.)" : "5(Access is denied.)");
    }

    /// <summary>A path the engine may write: under its root only, like a service account with rights to one volume.</summary>
    internal string? Writable(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (!_profile.ServiceAccountCanWriteBackups && full.StartsWith(BackupDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return null;
            }

            return full.StartsWith(VolumeMountPoint, StringComparison.Ordinal) || full.StartsWith(DataDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    internal static void CreateSparse(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        stream.SetLength(length);
    }

    private async Task BackupServiceMasterKeyAsync(string text, string login, ITdsResponse response, CancellationToken cancellationToken)
    {
        var match = ServiceMasterKeyPattern().Match(text);
        if (!match.Success)
        {
            throw new SqlErrorException(102, 15, 1, "Incorrect syntax near 'KEY'.");
        }

        _permissions.DemandControlServer(login);

        var path = SqlLiteral(match.Groups["file"].Value);
        var password = SqlLiteral(match.Groups["password"].Value);
        if (!SandboxPasswordPolicy.IsComplexEnough(password, login))
        {
            throw SandboxPasswordPolicy.NotComplexEnough();
        }

        var target = Writable(path);
        if (target is null || File.Exists(target) || !Directory.Exists(Path.GetDirectoryName(target)))
        {
            throw new SqlErrorException(15240, 16, 1, $"Cannot write into file '{path}'. Verify that you have write permissions, that the file path is valid, and that the file does not already exist.");
        }

        // The sandbox's "key": random bytes, encrypted with a key derived from the password, as the real file is.
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var key = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        var blob = aes.EncryptCbc(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48), salt);
        await File.WriteAllBytesAsync(target, [.. "OSBXSMK1"u8, .. salt, .. blob], cancellationToken);
        await response.SendDoneAsync(null, cancellationToken);
    }

    /// <summary>BACKUP MASTER KEY (the current database's master key): the password is checked as for the service master
    /// key; the simulated databases hold no master key, so a statement that passes every check still fails (15581).</summary>
    private void BackupDatabaseMasterKey(string text, string login)
    {
        var match = MasterKeyPattern().Match(text);
        if (!match.Success)
        {
            throw new SqlErrorException(102, 15, 1, "Incorrect syntax near 'KEY'.");
        }

        _permissions.DemandControlServer(login);

        if (!SandboxPasswordPolicy.IsComplexEnough(SqlLiteral(match.Groups["password"].Value), login))
        {
            throw SandboxPasswordPolicy.NotComplexEnough();
        }

        throw new SqlErrorException(15581, 16, 1, "Please create a master key in the database or open the master key in the session before performing this operation.");
    }

    private async Task CheckDbAsync(string text, string login, ITdsResponse response, CancellationToken cancellationToken)
    {
        var name = CheckDbPattern().Match(text) is { Success: true } m ? Identifier(m.Groups[1].Value) : throw new SqlErrorException(102, 15, 1, "Incorrect syntax near 'CHECKDB'.");
        var database = Database(name) ?? throw new SqlErrorException(2520, 16, 11, $"Could not find database '{name}'. The database either does not exist, or was dropped before a statement tried to use it. Verify if the database name is correct.");
        if (database.State == SandboxDatabase.Restoring)
        {
            throw new SqlErrorException(927, 14, 2, $"Database '{database.Name}' cannot be opened. It is in the middle of a restore.");
        }

        _permissions.DemandCheckDb(login, database.Name);

        await Task.Delay(_profile.DelayPerChunk * 4, _time, cancellationToken);
        if (!text.Contains("NO_INFOMSGS", StringComparison.OrdinalIgnoreCase))
        {
            await response.SendInfoAsync(8989, 1, 0, $"CHECKDB found 0 allocation errors and 0 consistency errors in database '{database.Name}'.", cancellationToken);
        }

        await response.SendDoneAsync(null, cancellationToken);
    }

    /// <summary>CREATE DATABASE [name] with no options: a small database in the data folder, owned by its creator (as on
    /// SQL Server, which makes the creator dbo). Any option (ON, LOG ON, COLLATE, …) is not simulated.</summary>
    private async Task CreateDatabaseAsync(CreateDatabaseStatement create, string login, ITdsResponse response, CancellationToken cancellationToken)
    {
        if (create.FileGroups.Count > 0 || create.LogOn.Count > 0 || create.Options.Count > 0 || create.Collation is not null || create.Containment is not null
            || create.AttachMode != AttachMode.None || create.DatabaseSnapshot is not null || create.CopyOf is not null)
        {
            throw NotSimulated("CREATE DATABASE with options");
        }

        if (!_permissions.MayCreateDatabase(login))
        {
            throw new SqlErrorException(262, 14, 1, "CREATE DATABASE permission denied in database 'master'.");
        }

        var name = create.DatabaseName.Value;
        var data = new SandboxDatabaseFile(name, Path.Combine(DataDirectory, name + ".mdf"), "D", 8L << 20, 2L << 20, 1);
        var log = new SandboxDatabaseFile(name + "_log", Path.Combine(DataDirectory, name + "_log.ldf"), "L", 8L << 20, 512L << 10, 2);
        if (!TryAddDatabase(new SandboxDatabase(name, _profile.Collation, "SIMPLE", [data, log])))
        {
            throw new SqlErrorException(1801, 16, 3, $"Database '{name}' already exists. Choose a different database name.");
        }

        CreateSparse(data.PhysicalName, data.SizeBytes);
        CreateSparse(log.PhysicalName, log.SizeBytes);
        _permissions.Created(name, login);
        await response.SendDoneAsync(null, cancellationToken);
    }

    private async Task DropDatabaseAsync(string text, string login, ITdsResponse response, CancellationToken cancellationToken)
    {
        var name = DropPattern().Match(text) is { Success: true } m ? Identifier(m.Groups[1].Value) : throw new SqlErrorException(102, 15, 1, "Incorrect syntax near 'DATABASE'.");
        if (name is "master" or "msdb" or "model" or "tempdb")
        {
            throw new SqlErrorException(3708, 16, 5, $"Cannot drop the database '{name}' because it is a system database.");
        }

        if (string.Equals(name, _profile.DatabaseName, StringComparison.OrdinalIgnoreCase))
        {
            // The sandbox never lets anyone drop the database it protects.
            throw new SqlErrorException(3702, 16, 4, $"Cannot drop database \"{name}\" because it is currently in use.");
        }

        if (Database(name) is not null)
        {
            _permissions.DemandDrop(login, name);
        }

        SandboxDatabase? database;
        lock (_gate)
        {
            database = _databases.GetValueOrDefault(name);
            if (database is not null)
            {
                _databases.Remove(name);
            }
        }

        if (database is null)
        {
            throw new SqlErrorException(3701, 11, 1, $"Cannot drop the database '{name}', because it does not exist or you do not have permission.");
        }

        _permissions.Dropped(database.Name);
        foreach (var file in database.Files)
        {
            File.Delete(file.PhysicalName);
        }

        await response.SendDoneAsync(null, cancellationToken);
    }

    /// <summary>[name] or name → name (]] → ]).</summary>
    internal static string Identifier(string token)
    {
        token = token.Trim();
        return token.StartsWith('[') && token.EndsWith(']') ? token[1..^1].Replace("]]", "]", StringComparison.Ordinal) : token;
    }

    /// <summary>N'text' or 'text' → text ('' → ').</summary>
    internal static string SqlLiteral(string token)
    {
        token = token.Trim();
        if (token.StartsWith("N'", StringComparison.OrdinalIgnoreCase))
        {
            token = token[1..];
        }

        return token.Length >= 2 && token[0] == '\'' && token[^1] == '\'' ? token[1..^1].Replace("''", "'", StringComparison.Ordinal) : token;
    }

    internal const string StringLiteral = @"N?'(?:[^']|'')*'";

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"^BACKUP SERVICE MASTER KEY TO FILE = (?<file>" + StringLiteral + @") ENCRYPTION BY PASSWORD = (?<password>" + StringLiteral + @")$", RegexOptions.IgnoreCase)]
    private static partial Regex ServiceMasterKeyPattern();

    [GeneratedRegex(@"^BACKUP MASTER KEY TO FILE = (?<file>" + StringLiteral + @") ENCRYPTION BY PASSWORD = (?<password>" + StringLiteral + @")$", RegexOptions.IgnoreCase)]
    private static partial Regex MasterKeyPattern();

    [GeneratedRegex(@"^DBCC CHECKDB ?\( ?(\[(?:[^\]]|\]\])+\]|\w+) ?\)", RegexOptions.IgnoreCase)]
    private static partial Regex CheckDbPattern();

    [GeneratedRegex(@"^DROP DATABASE (\[(?:[^\]]|\]\])+\]|\w+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DropPattern();
}

/// <summary>A database the simulated server holds; <paramref name="State"/> as sys.databases.state_desc says it.</summary>
internal sealed record SandboxDatabase(string Name, string Collation, string RecoveryModel, IReadOnlyList<SandboxDatabaseFile> Files, string State = SandboxDatabase.Online)
{
    public const string Online = "ONLINE";
    public const string Restoring = "RESTORING";

    /// <summary>It holds a database master key (##MS_DatabaseMasterKey## in its sys.symmetric_keys); a restored copy keeps the backup's.</summary>
    public bool HasMasterKey { get; init; }

    /// <summary>sys.databases.is_master_key_encrypted_by_server. A copy restored on another instance carries the source's
    /// flag (UNCONFIRMED: Microsoft does not say what the flag shows there; orchprep never judges on it).</summary>
    public bool MasterKeyEncryptedByServer { get; init; }
}

/// <summary>One msdb.dbo.backupset row with its media family devices (in family order).</summary>
internal sealed record MsdbBackupSet(
    long BackupSetId, Guid MediaSetId, string Name, string Description, string DatabaseName, bool CopyOnly, bool HasChecksums, bool IsDamaged,
    decimal FirstLsn, decimal LastLsn, decimal CheckpointLsn, decimal DatabaseBackupLsn, long BackupSize, long CompressedBackupSize,
    DateTime StartDate, DateTime FinishDate, IReadOnlyList<string> Devices);
