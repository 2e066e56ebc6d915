using CanarySim.Harness.WireMock;

namespace CanarySim.Core.Tests.Harness;

public sealed class StubTests
{
    [Test]
    public void Builder_produces_wiremock_net_mapping_json_that_passes_the_checks()
    {
        var m = Stub.ForPost("/v2/plan")
            .WithJmesPath("agentType == 'SICK_CALLER'")
            .WithBodyContaining("a.b")
            .InScenario("conv", "Started", "asked")
            .Returns(200, """{"agent":"x"}""")
            .WithRandomDelay(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300))
            .AtPriority(2)
            .ToMapping();

        Assert.That(m["Request"]!["Methods"]![0]!.GetValue<string>(), Is.EqualTo("POST"));
        Assert.That(m["Request"]!["Path"]!.GetValue<string>(), Is.EqualTo("/v2/plan"));
        Assert.That(m["Request"]!["Body"]!["MatchOperator"]!.GetValue<string>(), Is.EqualTo("And"));
        Assert.That(m["Request"]!["Body"]!["Matchers"]![0]!["Pattern"]!.GetValue<string>(), Is.EqualTo("agentType == 'SICK_CALLER'"));
        Assert.That(m["Request"]!["Body"]!["Matchers"]![1]!["Pattern"]!.GetValue<string>(), Is.EqualTo(@"a\.b"));
        Assert.That(m["Response"]!["StatusCode"]!.GetValue<int>(), Is.EqualTo(200));
        Assert.That(m["Response"]!["Headers"]!["Content-Type"]!.GetValue<string>(), Is.EqualTo("application/json"));
        Assert.That(m["Response"]!["MaximumRandomDelay"]!.GetValue<long>(), Is.EqualTo(300));
        Assert.That(m["Scenario"]!.GetValue<string>(), Is.EqualTo("conv"));
        Assert.That(m["SetStateTo"]!.GetValue<string>(), Is.EqualTo("asked"));
        Assert.That(m["Priority"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.DoesNotThrow(() => MappingFile.Check(m));
    }

    [Test]
    public void A_json_field_is_a_json_partial_matcher_nesting_a_dotted_name()
    {
        var m = Stub.ForPost("/v2/plan").WithJsonField("agentType", "SICK_CALLER").WithJsonField("simulation.v2", "http-500").Returns(500, "x").ToMapping();
        var matchers = m["Request"]!["Body"]!["Matchers"]!.AsArray();
        Assert.That(matchers.Select(x => x!["Name"]!.GetValue<string>()), Is.All.EqualTo("JsonPartialMatcher"));
        Assert.That(matchers[0]!["Pattern"]!.ToJsonString(), Is.EqualTo("""{"agentType":"SICK_CALLER"}"""));
        Assert.That(matchers[1]!["Pattern"]!.ToJsonString(), Is.EqualTo("""{"simulation":{"v2":"http-500"}}"""));
        Assert.DoesNotThrow(() => MappingFile.Check(m));
    }

    [Test]
    public void Fixed_delay_replaces_random_delay_and_a_fault_is_the_fault_header_without_a_body()
    {
        var m = Stub.For("v2/plan").Returns(200, "{}").WithRandomDelay(TimeSpan.Zero, TimeSpan.FromSeconds(1)).WithDelay(TimeSpan.FromSeconds(3)).WithFault(Fault.MalformedResponseChunk).ToMapping();
        Assert.That(m["Response"]!["Delay"]!.GetValue<long>(), Is.EqualTo(3000));
        Assert.That(m["Response"]!.AsObject().ContainsKey("MinimumRandomDelay"), Is.False);
        Assert.That(m["Response"]!["Headers"]!["X-CanarySim-Fault"]!.GetValue<string>(), Is.EqualTo("MALFORMED_RESPONSE_CHUNK"));
        Assert.That(m["Response"]!.AsObject().ContainsKey("Body"), Is.False);
        Assert.That(m["Request"]!["Path"]!.GetValue<string>(), Is.EqualTo("/v2/plan"));
        Assert.That(m["Request"]!.AsObject().ContainsKey("Methods"), Is.False, "any method");
        Assert.That(m["Priority"]!.GetValue<int>(), Is.EqualTo(Stub.DefaultPriority));
        Assert.DoesNotThrow(() => MappingFile.Check(m));
    }

    [TestCase("connection reset by peer", Fault.ConnectionResetByPeer)]
    [TestCase("EMPTY_RESPONSE", Fault.EmptyResponse)]
    [TestCase("malformed response chunk", Fault.MalformedResponseChunk)]
    public void Fault_names_parse(string text, Fault expected)
    {
        Assert.That(FaultNames.TryParse(text, out var f), Is.True);
        Assert.That(f, Is.EqualTo(expected));
    }
}
