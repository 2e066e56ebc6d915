using CanarySim.Harness.Rehearsals;
using CanarySim.Harness.WireMock;

namespace CanarySim.Core.Tests.Harness;

public sealed class StubTests
{
    [Test]
    public void Builder_produces_wiremock_mapping_json()
    {
        var m = Stub.ForPost("/v2/plan")
            .WithJsonPathEqualTo("$.agentType", "SICK_CALLER")
            .InScenario("conv", "Started", "asked")
            .Returns(200, """{"agent":"x"}""")
            .WithRandomDelay(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300))
            .AtPriority(2)
            .ToMapping();

        Assert.That(m["request"]!["method"]!.GetValue<string>(), Is.EqualTo("POST"));
        Assert.That(m["request"]!["urlPath"]!.GetValue<string>(), Is.EqualTo("/v2/plan"));
        Assert.That(m["request"]!["bodyPatterns"]![0]!["matchesJsonPath"]!["equalTo"]!.GetValue<string>(), Is.EqualTo("SICK_CALLER"));
        Assert.That(m["response"]!["status"]!.GetValue<int>(), Is.EqualTo(200));
        Assert.That(m["response"]!["headers"]!["Content-Type"]!.GetValue<string>(), Is.EqualTo("application/json"));
        Assert.That(m["response"]!["delayDistribution"]!["type"]!.GetValue<string>(), Is.EqualTo("uniform"));
        Assert.That(m["response"]!["delayDistribution"]!["upper"]!.GetValue<long>(), Is.EqualTo(300));
        Assert.That(m["scenarioName"]!.GetValue<string>(), Is.EqualTo("conv"));
        Assert.That(m["newScenarioState"]!.GetValue<string>(), Is.EqualTo("asked"));
        Assert.That(m["priority"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public void Fixed_delay_replaces_random_delay_and_faults_use_wire_names()
    {
        var m = Stub.For("v2/plan").WithRandomDelay(TimeSpan.Zero, TimeSpan.FromSeconds(1)).WithDelay(TimeSpan.FromSeconds(3)).WithFault(Fault.MalformedResponseChunk).ToMapping();
        Assert.That(m["response"]!["fixedDelayMilliseconds"]!.GetValue<long>(), Is.EqualTo(3000));
        Assert.That(m["response"]!.AsObject().ContainsKey("delayDistribution"), Is.False);
        Assert.That(m["response"]!["fault"]!.GetValue<string>(), Is.EqualTo("MALFORMED_RESPONSE_CHUNK"));
        Assert.That(m["request"]!["urlPath"]!.GetValue<string>(), Is.EqualTo("/v2/plan"));
    }

    [TestCase("connection reset by peer", Fault.ConnectionResetByPeer)]
    [TestCase("EMPTY_RESPONSE", Fault.EmptyResponse)]
    [TestCase("malformed response chunk", Fault.MalformedResponseChunk)]
    public void Fault_names_parse(string text, Fault expected)
    {
        Assert.That(FaultNames.TryParse(text, out var f), Is.True);
        Assert.That(f, Is.EqualTo(expected));
    }

    [Test]
    public void Every_fixture_mapping_file_reads()
    {
        var files = Directory.GetFiles(RepoPaths.Fixture("wiremock"), "*.json", SearchOption.AllDirectories);
        Assert.That(files, Has.Length.GreaterThanOrEqualTo(6));
        foreach (var f in files)
        {
            var mappings = WireMockAdmin.ReadMappingFile(f, new Uri("http://127.0.0.1:1/"));
            Assert.That(mappings, Is.Not.Empty, f);
            Assert.That(mappings.All(m => m["request"] is not null && m["response"] is not null), Is.True, f);
            Assert.That(mappings.Select(m => m.ToJsonString()), Has.None.Contains(WireMockAdmin.BaseUrlPlaceholder), f);
        }
    }

    [Test]
    public void Invalid_mapping_file_names_the_file_and_line()
    {
        var f = Path.Combine(Path.GetTempPath(), $"bad-mapping-{Guid.NewGuid():N}.json");
        File.WriteAllText(f, "{\n  \"request\": {\n  oops\n}");
        try
        {
            var e = Assert.Throws<WireMockAdminException>(() => WireMockAdmin.ReadMappingFile(f));
            Assert.That(e!.Message, Does.Contain(f).And.Contain("line 3"));
        }
        finally
        {
            File.Delete(f);
        }
    }
}
