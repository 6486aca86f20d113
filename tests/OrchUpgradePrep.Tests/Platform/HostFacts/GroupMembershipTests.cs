using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts;

public sealed class GroupMembershipTests
{
    [Theory]
    [InlineData("\\\\ORCH-MS01\\root\\cimv2:Win32_UserAccount.Domain=\"CONTOSO\",Name=\"svc-orch\"", "CONTOSO\\svc-orch", "User")]
    [InlineData("\\\\ORCH-MS01\\root\\cimv2:Win32_Group.Domain=\"CONTOSO\",Name=\"Domain Admins\"", "CONTOSO\\Domain Admins", "Group")]
    [InlineData("Win32_SystemAccount.Domain='ORCH-MS01',Name='SYSTEM'", "ORCH-MS01\\SYSTEM", "User")]
    public void A_part_component_reads_as_a_member(string reference, string name, string kind) =>
        Assert.Equal(new GroupMember(name, kind), GroupMembership.FromPartComponent(reference));

    [Fact]
    public void Something_else_is_no_member() => Assert.Null(GroupMembership.FromPartComponent("garbage"));

    [Fact]
    public void The_where_clause_names_host_and_group_and_refuses_quotes()
    {
        Assert.Equal("GroupComponent=\"Win32_Group.Domain='ORCH-MS01',Name='Administrators'\"", GroupMembership.WhereGroup("ORCH-MS01", "Administrators"));
        Assert.Throws<HostFactsException>(() => GroupMembership.WhereGroup("ORCH-MS01", "x' OR 1=1"));
    }
}
