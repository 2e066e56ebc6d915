using CanarySim.Harness.Conversation;

namespace CanarySim.Core.Tests.Harness;

public sealed class ConversationInvariantsTests
{
    private static readonly ConversationFlow Sick = ConversationFlow.SickCaller;

    [Test]
    public void A_clean_turn_has_no_violation()
    {
        var t1 = Ask(1, "employer_phone", ("employer_name", "Bunnings"));
        var t2 = Ask(2, "caller_name", ("employer_name", "Bunnings"), ("employer_phone", "+61412345678"));
        Assert.That(ConversationInvariants.CheckAll(Sick, [t1, t2]), Is.Empty);
    }

    [Test]
    public void Same_slot_asked_twice_in_a_row_is_a_violation()
    {
        var t1 = Ask(1, "employer_phone", ("employer_name", "Bunnings"));
        var t2 = Ask(2, "employer_phone", ("employer_name", "Bunnings"));
        var v = ConversationInvariants.Check(Sick, t1, t2);
        Assert.That(v, Has.Count.EqualTo(1));
        Assert.That(v[0], Does.Contain("slot 'employer_phone' was asked twice in a row").And.Contain("turn 2"));
    }

    [Test]
    public void Losing_an_extracted_key_is_a_violation()
    {
        var t1 = Ask(1, "caller_name", ("employer_name", "Bunnings"), ("employer_phone", "1"));
        var t2 = Ask(2, "shift_date", ("employer_phone", "1"), ("caller_name", "Richard"));
        var v = ConversationInvariants.Check(Sick, t1, t2);
        Assert.That(v, Has.Count.EqualTo(1));
        Assert.That(v[0], Does.Contain("lost key(s) employer_name"));
    }

    [Test]
    public void Confirm_card_must_match_every_slot()
    {
        var all = Sick.Slots.Select(s => (s, "v-" + s)).ToArray();
        var good = Confirm(7, all, all);
        Assert.That(ConversationInvariants.Check(Sick, null, good), Is.Empty);

        var wrongValue = Confirm(7, all, all.Select(p => p.s == "caller_name" ? (p.s, "Rachel") : p).ToArray());
        Assert.That(ConversationInvariants.Check(Sick, null, wrongValue), Has.One.Contains("shows 'caller_name' = 'Rachel' but the extracted data says 'v-caller_name'"));

        var missing = Confirm(7, all, all.Where(p => p.s != "shift_date").ToArray());
        Assert.That(ConversationInvariants.Check(Sick, null, missing), Has.One.Contains("missing slot 'shift_date'"));

        var noCard = good with { ConfirmCard = null };
        Assert.That(ConversationInvariants.Check(Sick, null, noCard), Has.One.Contains("without a confirm card"));
    }

    [Test]
    public void Deterministic_flow_must_make_no_llm_call()
    {
        var t = Ask(1, "employer_phone", ("employer_name", "Bunnings")) with { LlmCalls = 1 };
        Assert.That(ConversationInvariants.Check(Sick, null, t), Has.One.Contains("made 1 LLM call(s); expected zero"));
        Assert.That(ConversationInvariants.Check(ConversationFlow.StockChecker, null, t), Is.Empty);
    }

    private static ConversationTurn Ask(int n, string next, params (string K, string V)[] data) => new()
    {
        Number = n, UserInput = "x", ServedBy = Engine.V2, Action = "ASK_QUESTION", NextSlot = next,
        ExtractedData = data.ToDictionary(p => p.K, p => p.V),
    };

    private static ConversationTurn Confirm(int n, (string K, string V)[] data, (string K, string V)[] card) => new()
    {
        Number = n, UserInput = "x", ServedBy = Engine.V2, Action = "CONFIRM",
        ExtractedData = data.ToDictionary(p => p.K, p => p.V),
        ConfirmCard = card.ToDictionary(p => p.K, p => p.V),
    };
}
