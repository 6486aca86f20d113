using System.Buffers.Binary;
using System.Text;
using OrchUpgradePrep.Gates.GitHub;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Fuzz;

/// <summary>
/// Valid (and a few near-valid) inputs per target, made with the product's own writers where one exists, so the
/// mutations start from documents the parsers accept. <c>fuzz/corpus/&lt;target&gt;/</c> is written from here
/// (<c>seed-corpus</c> command); the property tests mutate the same seeds.
/// </summary>
internal static class SeedCorpus
{
    public const string ValidConfig = """
        environments:
          dev:
            target: "2022"
            sql: &sql
              server: "sql-dev01.contoso.local,1433"
              database: Orchestrator
              auth: sql
              user: orchprep
              passwordEnv: ORCHPREP_SQL_PASSWORD
              encrypt: mandatory
              trustServerCertificate: true
            webService:
              url: http://orch-dev01:81/Orchestrator2012/Orchestrator.svc/
              auth: negotiate
            hosts:
              - name: orch-dev01
                roles: [management-server, runbook-server, web-service, web-console]
            policies:
              drain: { mode: wait, timeout: 30m, pollInterval: 10s, monitors: stop }
              verify: verifyonly
          test:
            target: "2022"
            sql:
              <<: *sql
              server: "sql-test01.contoso.local,1433"
            webService:
              url: https://orch-test01:81/Orchestrator2012/Orchestrator.svc/
              auth: negotiate
            hosts:
              - name: orch-test01
                roles: [management-server, runbook-server]

        """;

    public static IReadOnlyList<(string Name, byte[] Data)> For(string target) => target switch
    {
        "config" => Config(),
        "reg" => Reg(),
        "atom" => Atom(),
        "tds" => Tds(),
        "github-webhook" => GitHubWebhook(),
        "azdo-headers" => AzureDevOpsHeaders(),
        _ => throw new ArgumentException($"unknown target '{target}'", nameof(target)),
    };

    private static List<(string, byte[])> Config() =>
    [
        ("valid.yml", Encoding.UTF8.GetBytes(ValidConfig)),
        ("valid-bom.yml", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(ValidConfig)]),
        ("valid-utf16.yml", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(ValidConfig)).ToArray()),
        ("aliases.yml", Encoding.UTF8.GetBytes("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\nenvironments: {}\n")),
        ("flow.yml", Encoding.UTF8.GetBytes("environments: { dev: { target: '2022', hosts: [ { name: h } ] } }\n")),
        ("empty.yml", []),
    ];

    public static IReadOnlyList<RegExportKey> SampleKeys { get; } =
    [
        new("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SystemCenter2012\\Orchestrator",
        [
            new RegistryValue("InstallPath", RegistryValueType.String, "C:\\Program Files (x86)\\Microsoft System Center\\Orchestrator"),
            new RegistryValue("Version", RegistryValueType.DWord, 0x0a000000u),
            new RegistryValue("", RegistryValueType.String, "default \"quoted\" value"),
        ]),
        new("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager",
        [
            new RegistryValue("PendingFileRenameOperations", RegistryValueType.MultiString, new[] { "\\??\\C:\\a.tmp", "", "\\??\\C:\\b.tmp", "" }),
            new RegistryValue("Path", RegistryValueType.ExpandString, "%SystemRoot%\\system32"),
            new RegistryValue("Stamp", RegistryValueType.QWord, 0x01d9f00000000000UL),
            new RegistryValue("Blob", RegistryValueType.Binary, Enumerable.Range(0, 60).Select(i => (byte)i).ToArray()),
            new RegistryValue("Nothing", RegistryValueType.None, Array.Empty<byte>()),
        ]),
    ];

    private static List<(string, byte[])> Reg()
    {
        using var utf16 = new MemoryStream();
        RegExportWriter.Write(utf16, SampleKeys);
        var text = Encoding.Unicode.GetString(utf16.ToArray().AsSpan(2));
        return
        [
            ("export-utf16.reg", utf16.ToArray()),
            ("export-utf8.reg", Encoding.UTF8.GetBytes(text)),
            ("regedit4.reg", Encoding.Latin1.GetBytes("REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Caf\u00e9]\r\n\"Name\"=\"Caf\u00e9\"\r\n\"Count\"=dword:00000003\r\n")),
            ("multiline-string.reg", Encoding.UTF8.GetBytes("Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\SOFTWARE\\X]\r\n\"Text\"=\"line one\r\nline two\"\r\n\"Other\"=hex(4):01,00,00,00\r\n")),
            ("delete-key.reg", Encoding.UTF8.GetBytes("Windows Registry Editor Version 5.00\r\n\r\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n")),
        ];
    }

    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string DataNs = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    private const string MetadataNs = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";

    public static string JobEntryXml(string id, string status, bool root) => $"""
        <entry{(root ? $" xmlns=\"{AtomNs}\" xmlns:d=\"{DataNs}\" xmlns:m=\"{MetadataNs}\"" : "")} m:etag="W/&quot;datetime'2013-10-01T12%3A00%3A00'&quot;">
          <id>http://orch:81/Orchestrator2012/Orchestrator.svc/Jobs(guid'{id}')</id>
          <category term="Microsoft.SystemCenter.Orchestrator.WebService.Job" scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme" />
          <content type="application/xml">
            <m:properties>
              <d:Id m:type="Edm.Guid">{id}</d:Id>
              <d:RunbookId m:type="Edm.Guid">6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000001</d:RunbookId>
              <d:Status>{status}</d:Status>
              <d:CreationTime m:type="Edm.DateTime">2013-10-01T12:34:56.123</d:CreationTime>
              <d:LastModifiedTime m:type="Edm.DateTime">2013-10-01T12:35:00</d:LastModifiedTime>
              <d:IsMonitor m:type="Edm.Boolean">false</d:IsMonitor>
              <d:Parameters m:null="true" />
            </m:properties>
          </content>
        </entry>
        """;

    private static List<(string, byte[])> Atom()
    {
        var feed = $"""
            <?xml version="1.0" encoding="utf-8" standalone="yes"?>
            <feed xml:base="http://orch:81/Orchestrator2012/Orchestrator.svc/" xmlns="{AtomNs}" xmlns:d="{DataNs}" xmlns:m="{MetadataNs}">
              <id>http://orch:81/Orchestrator2012/Orchestrator.svc/Jobs</id>
              <m:count>3</m:count>
              {JobEntryXml("6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f0000a1", "Running", root: false)}
              {JobEntryXml("6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f0000a2", "Pending", root: false)}
              <link rel="next" href="Jobs?$skiptoken=guid'6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f0000a2'" />
            </feed>
            """;
        var entry = Encoding.UTF8.GetBytes(JobEntryXml("6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f0000a3", "Running", root: true));
        var job = AtomFeedReader.ReadEntryAsync(entry, null, 1 << 20, CancellationToken.None);
        var cancel = job.IsCompletedSuccessfully ? AtomJobEntryWriter.CancelBody(job.Result) : entry;
        var error = $"""<?xml version="1.0" encoding="utf-8"?><error xmlns="{MetadataNs}"><code></code><message xml:lang="en-US">Resource not found for the segment 'Jobs'.</message></error>""";
        return
        [
            ("feed.xml", Encoding.UTF8.GetBytes(feed)),
            ("entry.xml", entry),
            ("cancel-body.xml", cancel),
            ("start-body.xml", AtomJobEntryWriter.StartBody(Guid.Parse("6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000001"))),
            ("error.xml", Encoding.UTF8.GetBytes(error)),
            ("doctype.xml", Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY a \"aaaa\">]><feed xmlns=\"{AtomNs}\">&a;</feed>")),
        ];
    }

    public static byte[] Frame(TdsPacketType type, byte[] payload, byte status = 0x01)
    {
        var packet = new byte[TdsPacketReader.HeaderLength + payload.Length];
        packet[0] = (byte)type;
        packet[1] = status;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = 1;
        payload.CopyTo(packet, TdsPacketReader.HeaderLength);
        return packet;
    }

    /// <summary>LOGIN7 as a client builds it (MS-TDS 2.2.6.4), password obfuscated.</summary>
    public static byte[] Login7(string user, string password, string database)
    {
        const int fixedLength = 94;
        (int Field, byte[] Data, int Chars)[] fields =
        [
            (36, Encoding.Unicode.GetBytes("FUZZHOST"), 8),
            (40, Encoding.Unicode.GetBytes(user), user.Length),
            (44, Encoding.Unicode.GetBytes(password).Select(b => (byte)((byte)((b << 4) | (b >> 4)) ^ 0xA5)).ToArray(), password.Length),
            (48, Encoding.Unicode.GetBytes("fuzz"), 4),
            (52, Encoding.Unicode.GetBytes("127.0.0.1"), 9),
            (60, Encoding.Unicode.GetBytes("raw"), 3),
            (68, Encoding.Unicode.GetBytes(database), database.Length),
        ];
        var payload = new byte[fixedLength + fields.Sum(f => f.Data.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 0x74000004);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), 8000);
        var offset = fixedLength;
        foreach (var (field, data, chars) in fields)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(field), (ushort)offset);
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(field + 2), (ushort)chars);
            data.CopyTo(payload, offset);
            offset += data.Length;
        }

        return payload;
    }

    /// <summary>ALL_HEADERS with the transaction descriptor header, as SqlClient sends it.</summary>
    private static byte[] AllHeaders() => [22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0];

    public static byte[] SqlBatch(string text) => [.. AllHeaders(), .. Encoding.Unicode.GetBytes(text)];

    /// <summary>sp_executesql with one parameter of every type the decoder knows.</summary>
    public static byte[] ExecuteSql()
    {
        var body = new List<byte>(AllHeaders()) { 0xFF, 0xFF, 10, 0, 0, 0 };
        void Name(string name)
        {
            body.Add((byte)name.Length);
            body.AddRange(Encoding.Unicode.GetBytes(name));
            body.Add(0);
        }

        byte[] collation = [0x09, 0x04, 0xD0, 0x00, 0x34];
        void NVarChar(string name, string value)
        {
            Name(name);
            var bytes = Encoding.Unicode.GetBytes(value);
            body.AddRange([0xE7, 0x40, 0x1F, .. collation, (byte)bytes.Length, (byte)(bytes.Length >> 8), .. bytes]);
        }

        NVarChar("", "SELECT @p0, @p1");
        NVarChar("", "@p0 int, @p1 nvarchar(max)");
        Name("@p0");
        body.AddRange([0x26, 4, 4, 42, 0, 0, 0]);
        Name("@p1");
        var plp = Encoding.Unicode.GetBytes("plp text");
        body.AddRange([0xE7, 0xFF, 0xFF, .. collation, .. BitConverter.GetBytes((ulong)plp.Length), .. BitConverter.GetBytes(plp.Length), .. plp, 0, 0, 0, 0]);
        Name("@bit");
        body.AddRange([0x68, 1, 1, 1]);
        Name("@guid");
        body.AddRange([0x24, 16, 16, .. Guid.Parse("6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000001").ToByteArray()]);
        Name("@dt2");
        body.AddRange([0x2A, 7, 8, 0x00, 0x10, 0x20, 0x30, 0x40, 0x51, 0x43, 0x0B]);
        Name("@dt");
        body.AddRange([0x6F, 8, 8, 0x00, 0xA0, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00]);
        Name("@num");
        body.AddRange([0x6C, 17, 18, 2, 5, 1, 0x39, 0x30, 0, 0]);
        Name("@text");
        body.AddRange([0x63, 0x10, 0, 0, 0, .. collation, 4, 0, 0, 0, 0x41, 0, 0x42, 0]);
        return [.. body];
    }

    private static List<(string, byte[])> Tds()
    {
        var preLogin = Frame(TdsPacketType.PreLogin, PreLoginMessage.BuildResponse(PreLoginMessage.EncryptNotSupported));
        var login = Frame(TdsPacketType.Login7, Login7("orchprep", "Pä$$w0rd!", "Orchestrator"));
        var batch = Frame(TdsPacketType.SqlBatch, SqlBatch("SELECT 1"));
        var rpc = Frame(TdsPacketType.Rpc, ExecuteSql());
        var split = SqlBatch("SELECT name FROM sys.databases");
        return
        [
            ("session.bin", [.. preLogin, .. login, .. batch, .. rpc]),
            ("prelogin.bin", preLogin),
            ("login7.bin", login),
            ("rpc.bin", rpc),
            ("batch-two-packets.bin", [.. Frame(TdsPacketType.SqlBatch, split[..20], status: 0x00), .. Frame(TdsPacketType.SqlBatch, split[20..])]),
            ("attention.bin", [.. batch, .. Frame(TdsPacketType.Attention, [])]),
        ];
    }

    public static string DeploymentPayload(string action = "requested") =>
        "{\"action\":\"" + action + "\",\"environment\":\"production\"," +
        "\"deployment_callback_url\":\"https://api.github.com/repos/contoso/orch/actions/runs/42/deployment_protection_rule\"," +
        "\"deployment\":{\"id\":7,\"sha\":\"0123456789abcdef0123456789abcdef01234567\",\"ref\":\"main\"}," +
        "\"repository\":{\"name\":\"orch\",\"owner\":{\"login\":\"contoso\"}},\"installation\":{\"id\":123456}}";

    private static List<(string, byte[])> GitHubWebhook()
    {
        byte[] Delivery(string body, string? signature = null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            return [.. Encoding.UTF8.GetBytes((signature ?? WebhookSignature.Sign(FuzzTargets.Secret, bytes)) + "\n"), .. bytes];
        }

        return
        [
            ("requested.txt", Delivery(DeploymentPayload())),
            ("other-action.txt", Delivery(DeploymentPayload("completed"))),
            ("missing-fields.txt", Delivery("""{"action":"requested","repository":{"owner":{}}}""")),
            ("bad-signature.txt", Delivery(DeploymentPayload(), "sha256=" + new string('0', 64))),
            ("escapes.txt", Delivery("""{"action":"requested","environment":"\u00e9\ud83d\ude00","installation":{"id":1e3}}""")),
        ];
    }

    public static string PlanHeaders(string? authorization = null) =>
        $"Authorization: {authorization ?? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + FuzzTargets.Secret))}\n" +
        "PlanUrl: https://dev.azure.com/contoso/\n" +
        "ProjectId: 6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000001\n" +
        "HubName: checks\n" +
        "PlanId: 6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000002\n" +
        "JobId: 6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000003\n" +
        "TimelineId: 6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000004\n" +
        "TaskInstanceId: 6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000005\n" +
        "AuthToken: eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fuzz\n";

    private static List<(string, byte[])> AzureDevOpsHeaders() =>
    [
        ("plan.txt", Encoding.UTF8.GetBytes(PlanHeaders())),
        ("wrong-secret.txt", Encoding.UTF8.GetBytes(PlanHeaders("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:nope"))))),
        ("bearer.txt", Encoding.UTF8.GetBytes(PlanHeaders("Bearer abc"))),
        ("ipv6.txt", Encoding.UTF8.GetBytes(PlanHeaders().Replace("https://dev.azure.com/contoso/", "http://user:pw@[::1]:8080/tfs/DefaultCollection", StringComparison.Ordinal))),
    ];
}
