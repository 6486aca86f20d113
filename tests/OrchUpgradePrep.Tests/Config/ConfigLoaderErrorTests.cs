using System.Text;
using OrchUpgradePrep.Config;
using Xunit;
using static OrchUpgradePrep.Tests.Config.ConfigAssert;

namespace OrchUpgradePrep.Tests.Config;

public sealed class ConfigLoaderErrorTests
{
    [Fact]
    public void UnknownKey_ReportsFileLineAndColumn_AllowedKeys_AndTheClosestKey()
    {
        var message = Fails(
            "environments:",
            "  prod:",
            "    sql:",
            "      server: sql01",
            "      pasword: ORCHPREP_SQL_PASSWORD");

        HasError(message, 5, 7, "unknown key 'pasword' in environments.prod.sql", "Did you mean 'passwordEnv'?",
            "Allowed keys: server, database, auth, user, passwordEnv, encrypt, trustServerCertificate");
    }

    [Fact]
    public void UnknownKey_FarFromEveryKey_HasNoSuggestion()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    colour: blue");

        HasError(message, 4, 5, "unknown key 'colour' in environments.prod.");
        Assert.DoesNotContain("Did you mean", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTopLevelKey_IsReported()
    {
        var message = Fails("environment:", "  prod: {}");

        HasError(message, 1, 1, "unknown key 'environment' in the top level.", "Did you mean 'environments'?");
        HasError(message, 1, 1, "'environments' is required");
    }

    [Theory]
    [InlineData("password")]
    [InlineData("pat")]
    [InlineData("token")]
    [InlineData("secret")]
    [InlineData("sqlPassword")]
    public void SecretInTheFile_IsAnError_ThatDoesNotEchoTheValue(string key)
    {
        const string value = "Hunter2-S3cr3t!";
        var message = Fails("environments:", "  prod:", "    sql:", "      server: sql01", $"      {key}: \"{value}\"");

        HasError(message, 5, 7, $"'{key}' looks like a secret", "passwordEnv", "environment variable");
        Assert.DoesNotContain(value, message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretInsideAnUnknownSection_IsStillFlagged_WithoutItsValue()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    azure:", "      devops: { token: abcdef0123456789 }");

        HasError(message, 4, 5, "unknown key 'azure'");
        HasError(message, 5, 17, "'token' looks like a secret");
        Assert.DoesNotContain("abcdef0123456789", message, StringComparison.Ordinal);
    }

    [Fact]
    public void PasswordEnvHoldingTheSecretItself_IsRejected_WithoutEchoingIt()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s, auth: sql, user: u, passwordEnv: 'P@ss w0rd!' }");

        HasError(message, 3, 56, "'environments.prod.sql.passwordEnv' must be the NAME of an environment variable");
        Assert.DoesNotContain("P@ss w0rd!", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UrlWithCredentials_IsRejected_WithoutEchoingThem()
    {
        var message = Fails("environments:", "  prod:", "    webService: { url: 'http://admin:Pa55@orch-web01:81/' }");

        HasError(message, 3, 24, "must not contain a user name or password");
        Assert.DoesNotContain("Pa55", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MappingWhereAValueIsExpected_IsATypeError()
    {
        var message = Fails("environments:", "  prod:", "    sql:", "      server:", "        host: sql01");

        HasError(message, 5, 9, "'environments.prod.sql.server' must be a single value, but it is a mapping.");
    }

    [Fact]
    public void ValueWhereAMappingIsExpected_IsATypeError()
    {
        var message = Fails("environments:", "  prod:", "    sql: sql01");

        HasError(message, 3, 10, "'environments.prod.sql' must be a mapping");
    }

    [Fact]
    public void NonNumericStripes_IsATypeError_WithTheRange()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    policies:", "      backup: { stripes: many }");

        HasError(message, 5, 26, "'environments.prod.policies.backup.stripes' must be a whole number from 1 to 64, not 'many'.");
    }

    [Theory]
    [InlineData("stripes: 0", 1, 64)]
    [InlineData("stripes: 65", 1, 64)]
    [InlineData("keep: -1", 0, 1000)]
    [InlineData("keep: 1001", 0, 1000)]
    public void OutOfRangeNumbers_AreErrors(string entry, int min, int max)
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    policies:", "      backup:", $"        {entry}");

        var column = 9 + entry.IndexOf(' ', StringComparison.Ordinal) + 1;
        HasError(message, 6, column, $"must be a whole number from {min} to {max}");
    }

    [Fact]
    public void TrustServerCertificateMaybe_IsATypeError()
    {
        var message = Fails("environments:", "  prod:", "    sql:", "      server: s", "      trustServerCertificate: maybe");

        HasError(message, 5, 31, "'environments.prod.sql.trustServerCertificate' must be true or false, not 'maybe'.");
    }

    [Fact]
    public void QuotedBoolean_IsATypeError_LikeInTheSchema()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s, trustServerCertificate: \"true\" }");

        HasError(message, 3, 47, "must be true or false");
    }

    [Fact]
    public void BadEnumValue_ListsTheAllowedValues()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s, auth: windows, encrypt: Mandatory }");

        HasError(message, 3, 29, "'environments.prod.sql.auth' has the value 'windows', which is not one of: integrated, sql.");
        HasError(message, 3, 47, "which is not one of: optional, mandatory, strict.", "Did you mean 'mandatory'?");
    }

    [Fact]
    public void BadDuration_SaysHowToWriteOne()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    policies:", "      drain:", "        timeout: 30 minutes");

        HasError(message, 6, 18, "'environments.prod.policies.drain.timeout' is '30 minutes', which is not a duration; write it like 90s, 30m, 2h or 0s.");
    }

    [Fact]
    public void BlankUpgradeAccount_IsAnError()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    policies: { upgradeAccount: ' ' }");

        HasError(message, 4, 33, "'environments.prod.policies.upgradeAccount' is empty");
    }

    [Fact]
    public void ZeroPollInterval_IsAnError()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    policies: { drain: { pollInterval: 0s } }");

        HasError(message, 4, 40, "must be at least 1s");
    }

    [Fact]
    public void ZeroServiceStopTimeout_IsAnError()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    policies: { services: { stopTimeout: 0s } }");

        HasError(message, 4, 42, "'environments.prod.policies.services.stopTimeout' must be at least 1s");
    }

    [Fact]
    public void UnknownServicesKey_IsAnError()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s }", "    policies: { services: { forceStop: true } }");

        Assert.Contains("forceStop", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTarget_ListsTheVersions()
    {
        var message = Fails("environments:", "  prod:", "    target: 2020", "    sql: { server: s }");

        HasError(message, 3, 13, "'2020', which is not a target version: 2012R2, 2016, 2019, 2022, 2025.");
    }

    [Fact]
    public void UnknownRole_ListsTheRoles()
    {
        var message = Fails("environments:", "  prod:", "    hosts:", "      - name: orch01", "        roles: [management-server, sql-server]");

        HasError(message, 5, 36, "'sql-server', which is not one of: management-server, runbook-server, web-service, web-console, designer.");
    }

    [Theory]
    [InlineData("orch-web01:81/Orchestrator.svc")]
    [InlineData("ftp://orch-web01/Orchestrator.svc")]
    [InlineData("/Orchestrator.svc")]
    public void WebServiceUrl_MustBeAbsoluteHttpOrHttps(string url)
    {
        var message = Fails("environments:", "  prod:", "    webService:", $"      url: '{url}'");

        HasError(message, 4, 12, "must be an absolute http:// or https:// URL");
    }

    [Theory]
    [InlineData("http://orch-web01:81/api/")]
    [InlineData("https://orch-web01:8181/")]
    public void WebServiceUrl_MustBeTheLegacyODataService_NotThe2022WebApi(string url)
    {
        var message = Fails("environments:", "  prod:", "    webService:", $"      url: '{url}'");

        HasError(message, 4, 12, "must be the legacy OData web service");
        Assert.Contains("leave webService: out", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEnvironments_IsAnError()
    {
        var message = Fails("# no environments here", "{}");

        HasError(message, 2, 1, "'environments' is required");
    }

    [Fact]
    public void EnvironmentWithNothingToCheck_IsAnError()
    {
        var message = Fails("environments:", "  prod:", "    target: \"2022\"");

        HasError(message, 2, 3, "environment 'prod' configures nothing to check", "'hosts', 'sql' or 'webService'");
    }

    [Fact]
    public void MissingRequiredValues_AreEachReported()
    {
        var message = Fails(
            "environments:",
            "  prod:",
            "    sql:",
            "      database: Orchestrator",
            "    webService:",
            "      auth: none",
            "    hosts:",
            "      - roles: [designer]",
            "      - name: orch02",
            "      - name: orch03",
            "        roles: []");

        HasError(message, 4, 7, "'environments.prod.sql.server' is required.");
        HasError(message, 6, 7, "'environments.prod.webService.url' is required.");
        HasError(message, 8, 9, "'environments.prod.hosts[0].name' is required.");
        HasError(message, 9, 9, "'environments.prod.hosts[1].roles' is required");
        HasError(message, 11, 16, "'environments.prod.hosts[2].roles' is empty");
    }

    [Fact]
    public void SqlAuth_RequiresUserAndPasswordEnv()
    {
        var message = Fails("environments:", "  prod:", "    sql:", "      server: s", "      auth: sql");

        HasError(message, 4, 7, "'environments.prod.sql.user' is required when auth is 'sql'.");
        HasError(message, 4, 7, "'environments.prod.sql.passwordEnv' is required when auth is 'sql'");
    }

    [Fact]
    public void BasicAuth_RequiresUserEnvAndPasswordEnv()
    {
        var message = Fails("environments:", "  prod:", "    webService:", "      url: http://w/Orchestrator.svc/", "      auth: basic");

        HasError(message, 4, 7, "'environments.prod.webService.userEnv' is required when auth is 'basic'");
        HasError(message, 4, 7, "'environments.prod.webService.passwordEnv' is required when auth is 'basic'");
    }

    [Fact]
    public void SkipEntries_RequireIdAndANonEmptyReason()
    {
        var message = Fails(
            "environments:",
            "  prod:",
            "    sql: { server: s }",
            "    policies:",
            "      restart:",
            "        skip:",
            "          - id: restart.pending-file-rename",
            "          - reason: \"because\"",
            "          - id: restart.cbs-reboot-pending",
            "            reason: '  '");

        HasError(message, 7, 13, "'environments.prod.policies.restart.skip[0].reason' is required");
        HasError(message, 8, 13, "'environments.prod.policies.restart.skip[1].id' is required");
        HasError(message, 10, 21, "'environments.prod.policies.restart.skip[2].reason' is empty");
    }

    [Fact]
    public void EmptyValue_IsAnError_NotSilentlyIgnored()
    {
        var message = Fails("environments:", "  prod:", "    sql:", "      server: s", "      database:");

        HasError(message, 5, 16, "'environments.prod.sql.database' has no value");
    }

    [Fact]
    public void DuplicateKeys_AreAllReported_WithTheFirstLine()
    {
        var message = Fails(
            "environments:",
            "  prod:",
            "    sql: { server: a }",
            "    sql: { server: b }",
            "  test:",
            "    hosts: []",
            "    hosts: []");

        HasError(message, 4, 5, "duplicate key 'sql' (first written on line 3)");
        HasError(message, 7, 5, "duplicate key 'hosts' (first written on line 6)");
    }

    [Fact]
    public void AliasValues_DoNotConfuseDuplicateKeyDetection()
    {
        var config = Parse(
            "environments:",
            "  a: { sql: &s { server: s1 }, hosts: [ { name: h, roles: [designer] } ] }",
            "  b: { sql: *s, hosts: [ { name: h, roles: [designer] } ] }");

        Assert.Equal("s1", config.Environments["b"].Sql!.Server);
    }

    [Fact]
    public void DuplicateHostNames_InOneEnvironment_AreAnError()
    {
        var message = Fails(
            "environments:",
            "  prod:",
            "    hosts:",
            "      - { name: orch01, roles: [designer] }",
            "      - { name: ORCH01, roles: [runbook-server] }");

        HasError(message, 5, 17, "host 'ORCH01' is listed twice in this environment (first on line 4).");
    }

    [Fact]
    public void SameHostName_InTwoEnvironments_IsFine()
    {
        var config = Parse(
            "environments:",
            "  a: { hosts: [ { name: orch01, roles: [designer] } ] }",
            "  b: { hosts: [ { name: orch01, roles: [designer] } ] }");

        Assert.Equal(2, config.Environments.Count);
    }

    [Theory]
    [InlineData("-prod")]
    [InlineData("pr od")]
    [InlineData("prod/eu")]
    public void InvalidEnvironmentName_IsAnError(string name)
    {
        var message = Fails("environments:", $"  '{name}':", "    sql: { server: s }");

        HasError(message, 2, 3, $"'{name}' is not a valid environment name");
    }

    [Fact]
    public void YamlSyntaxError_IsAConfigErrorWithItsPosition()
    {
        var message = Fails("environments:", "  prod:", "    sql: { server: s", "    hosts: []");

        Assert.Matches(@"^orchprep\.yml\([34],\d+\): YAML syntax error", message);
    }

    [Fact]
    public void TabIndentation_IsAConfigError_AtTheTab()
    {
        var message = Fails("environments:", "\tprod:", "\t\tsql: { server: s }");

        HasError(message, 2, 1, "YAML syntax error");
    }

    [Theory]
    [InlineData("\ttarget: \"2022\"", 1)]
    [InlineData("  \ttarget: \"2022\"", 3)]
    public void TabInTheIndentationOfLineThree_IsReportedOnLineThree_AtItsColumn(string line3, int column)
    {
        var message = Fails("environments:", "  prod:", line3);

        HasError(message, 3, column, "YAML syntax error", "tab");
    }

    [Fact]
    public void InvalidUtf8_IsAConfigError_AtTheLineAndColumnOfTheFirstBadByte()
    {
        var bytes = Encoding.UTF8.GetBytes("environments:\n  prod:\n    sql: { server: sql").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("01 }\n")).ToArray();

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Decode(bytes, Source));

        Assert.StartsWith("orchprep.yml(3,23): the file is not valid UTF-8: byte 0xC3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8_AfterMultiByteCharacters_CountsColumnsInCharacters()
    {
        var bytes = Encoding.UTF8.GetBytes("# café ✓\nenvironments: {}\n# é").Append((byte)0xFF).ToArray();

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Decode(bytes, Source));

        Assert.StartsWith("orchprep.yml(3,4): the file is not valid UTF-8: byte 0xFF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8WithBom_AndUtf16WithBom_AreRead()
    {
        const string text = "environments:\n  prod: { target: \"2022\" }\n";

        Assert.Equal(text, ConfigLoader.Decode([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)], Source));
        Assert.Equal(text, ConfigLoader.Decode([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)], Source));
        Assert.Equal(text, ConfigLoader.Decode(Encoding.UTF8.GetBytes(text), Source));
    }

    [Fact]
    public void Utf16WithALoneSurrogate_IsAConfigError_OnItsLine()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("environments:\n  a")).Concat(new byte[] { 0x00, 0xD8 }).Concat(Encoding.Unicode.GetBytes("b: {}\n")).ToArray();

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Decode(bytes, Source));

        Assert.StartsWith("orchprep.yml(2,4): the file is not valid UTF-16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("~\n")]
    public void EmptyFile_IsAClearError(string text)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, Source));

        Assert.Equal("orchprep.yml(1,1): the config file is empty; it must start with 'environments:'.", error.Message);
    }

    [Fact]
    public void TwoDocuments_AreAnError()
    {
        var message = Fails("environments:", "  a: { sql: { server: s } }", "---", "environments: {}");

        HasError(message, 3, 1, "only one YAML document is allowed");
    }

    [Fact]
    public void UnknownAlias_IsAConfigError()
    {
        var message = Fails("environments:", "  prod:", "    sql: *missing");

        HasError(message, 3, 10, "the alias '*missing' refers to no anchor '&missing' defined before it.");
    }

    [Fact]
    public void AliasBomb_IsStoppedByTheNodeBudget_WithOneClearError()
    {
        // 1,000 environments sharing one list of 1,000 aliased hosts: a million hosts to walk from about 40 KiB.
        var hosts = string.Join(", ", Enumerable.Repeat("*h", 999));
        var text = $"environments:\n  e0: {{ hosts: &hosts [ &h {{ name: h, roles: [designer] }}, {hosts} ] }}\n"
            + string.Concat(Enumerable.Range(1, 999).Select(i => $"  e{i}: {{ hosts: *hosts }}\n"));

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, Source));

        Assert.Matches(@"^orchprep\.yml\(1,1\): the document expands to more than 200000 nodes through anchors and aliases", error.Message);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelfReferencingMergeKey_IsAnError()
    {
        var message = Fails("environments:", "  prod: &p", "    sql: { server: s }", "    <<: *p");

        Assert.Contains("merge key ('<<') refers back", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_IsRejectedBeforeLoading()
    {
        var text = "environments: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, Source));

        Assert.Contains("nests deeper than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextLargerThanOneMebibyte_IsRejected()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("# " + new string('x', 1024 * 1024), Source));

        Assert.Contains("larger than 1024 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MultipleErrors_AreReportedTogether_OnePerLine_InFileOrder()
    {
        var message = Fails(
            "environments:",
            "  prod:",
            "    target: 2020",
            "    sql:",
            "      server: s",
            "      trustServerCertificate: maybe",
            "    policies:",
            "      backup: { stripes: many }",
            "      drain: { timeout: 30 minutes }");

        var lines = message.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("orchprep.yml(3,13): ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("orchprep.yml(6,31): ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("orchprep.yml(8,26): ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("orchprep.yml(9,25): ", lines[3], StringComparison.Ordinal);
    }
}
