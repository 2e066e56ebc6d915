@seedgates @playbook
Feature: Moltbot playbook: canary metrics against v1, SLOs and safety limits
  The Moltbot rollout playbook (seed 003) watches business metrics of the canary against the control
  group, two SLOs (availability 99.5 %, p95 < 3 s) and the per-request safety limits
  (MOLTBOT_MAX_TOKENS_PER_REQUEST=4000, MOLTBOT_MAX_TOOL_CALLS_PER_REQUEST=10,
  MOLTBOT_RATE_LIMIT_PER_MINUTE=30), besides the rollback triggers of its table and "zero critical
  errors in 48h". The policy fixtures/policies/moltbot-playbook.json declares every one of them; the
  app reports the metrics on each run. The real detector judges after every minute and the real
  rollback controller acts: a degradation against v1 that the data show (a 99 % confidence interval
  over 24 h) holds the ramp, support tickets and complaints
  ask for a manual review, a broken safety limit rolls back (the rate limit pauses).

  Background:
    Given the detector policy from "fixtures/policies/moltbot-playbook.json"
    And the router is in canary mode at 5%
    And each engine serves 100 runs per minute
    And the runs report:
      | engine | metric               | share | value |
      | both   | order_completed      | 80%   |       |
      | both   | cart_abandoned       | 10%   |       |
      | both   | engaged              | 60%   |       |
      | both   | support_ticket       | 4%    |       |
      | both   | critical_error       | 0%    |       |
      | both   | staff_response_ms    |       | 1200  |
      | both   | satisfaction         |       | 4.5   |
      | both   | tokens               |       | 1200  |
      | both   | tool_calls           |       | 3     |
      | both   | requests_last_minute |       | 5     |

  Scenario: A canary that matches the control group on every metric passes
    When traffic runs for 15 min, evaluated every minute
    Then the verdict is "pass" with action "none"
    And no rollback happened
    And the router settings show kill switch off at 5%

  Scenario Outline: <what> against v1: not shown by 200 runs, shown by 3,000: <action>
    The relative checks are judged on a 99 % confidence interval over 24 h: they act only when the data
    show the degradation, so a difference a few hundred runs cannot tell from noise passes with a note.
    Given the runs report:
      | engine | metric   | share   |
      | v2     | <metric> | <share> |
    When traffic runs for 2 min, evaluated every minute
    Then the check "<check>" was not shown by the data
    And the verdict is "pass" with action "none"
    When traffic runs for 28 min, evaluated every minute
    Then the check "<check>" breached with action "<action>"
    And the verdict is "fail" with action "<action>"
    And no rollback happened

    Examples:
      | what                               | metric          | share | check                  | action        |
      | Order completion drops 10 points   | order_completed | 70%   | order_completion_vs_v1 | hold          |
      | Cart abandonment rises 6 points    | cart_abandoned  | 16%   | cart_abandonment_vs_v1 | hold          |
      | Engagement drops 10 points         | engaged         | 50%   | engagement_vs_v1       | hold          |
      | Support tickets at 2x v1's rate    | support_ticket  | 8%    | support_tickets_vs_v1  | manual_review |

  Scenario Outline: <what> against v1 with no spread: <action>
    Every run reports the same value, so the interval is the difference itself.
    Given the runs report:
      | engine | metric   | value   |
      | v2     | <metric> | <value> |
    When traffic runs for 2 min, evaluated every minute
    Then the check "<check>" breached with <breach>
    And the check "<check>" breached with action "<action>"
    And the verdict is "fail" with action "<action>"
    And no rollback happened

    Examples:
      | what                              | metric            | value | check                | breach | action |
      | Staff response mean is 1.25x v1's | staff_response_ms | 1500  | staff_response_vs_v1 | 1.25   | hold   |
      | Satisfaction drops 0.3            | satisfaction      | 4.2   | satisfaction_vs_v1   | 0.3    | hold   |

  Scenario Outline: Within tolerance against v1: <what>
    Given the runs report:
      | engine | metric   | share   | value   |
      | v2     | <metric> | <share> | <value> |
    When traffic runs for 15 min, evaluated every minute
    Then the check "<check>" did not breach
    And the verdict is "pass" with action "none"

    Examples:
      | what                                | metric            | share | value | check                  |
      | order completion 2 points lower     | order_completed   | 78%   |       | order_completion_vs_v1 |
      | staff response mean exactly 1.2x    | staff_response_ms |       | 1440  | staff_response_vs_v1   |
      | support tickets at exactly 1.25x    | support_ticket    | 5%    |       | support_tickets_vs_v1  |

  Scenario Outline: Safety limit <limit> broken once: <action>
    Given the runs report:
      | engine | metric   | share | value   |
      | v2     | <metric> | 1%    | <value> |
    When traffic runs for 1 min, evaluated every minute
    Then the check "<check>" breached with <value>
    And the check "<check>" breached with action "<action>"

    Examples:
      | limit                               | metric               | value | check               | action   |
      | MOLTBOT_MAX_TOKENS_PER_REQUEST=4000 | tokens               | 4500  | max_tokens          | rollback |
      | MOLTBOT_MAX_TOOL_CALLS_PER_REQUEST  | tool_calls           | 11    | max_tool_calls      | rollback |
      | MOLTBOT_RATE_LIMIT_PER_MINUTE=30    | requests_last_minute | 31    | requests_per_minute | pause    |

  Scenario: A request at exactly the limits is allowed
    Given the runs report:
      | engine | metric               | value |
      | v2     | tokens               | 4000  |
      | v2     | tool_calls           | 10    |
      | v2     | requests_last_minute | 30    |
    When traffic runs for 15 min, evaluated every minute
    Then the verdict is "pass" with action "none"

  Scenario: A broken token limit rolls back to 0%
    Given the runs report:
      | engine | metric | share | value |
      | v2     | tokens | 1%    | 4500  |
    When traffic runs for 1 min, evaluated every minute
    Then the router settings show kill switch on at 0%

  Scenario: SLO availability 99.5%: 1% of runs failing for an hour holds the ramp
    Given v2 fails 1% of its runs
    When traffic runs for 2 min, evaluated every minute
    Then "slo_availability" is breached but not yet sustained
    When traffic runs for 60 min, evaluated every minute
    Then the check "slo_availability" breached with 1%
    And the check "slo_availability" breached with action "hold"
    And the check "error_rate" did not breach
    And no rollback happened

  Scenario: SLO latency: a p95 of 3.5 s holds the ramp (the 5 s trigger does not fire)
    Given v2 answers in 3500ms at p95
    When traffic runs for 15 min, evaluated every minute
    Then the check "slo_latency_p95" breached with 3500
    And the check "slo_latency_p95" breached with action "hold"
    And the check "latency_sustained" did not breach
    And no rollback happened

  Scenario: One critical error rolls back: zero critical errors in 48h
    Given the runs report:
      | engine | metric         | share |
      | v2     | critical_error | 1%    |
    When traffic runs for 1 min, evaluated every minute
    Then the check "critical_errors_48h" breached with 1
    And the router settings show kill switch on at 0%

  Scenario: A cost spike above 3x projected pauses
    Given v2 costs 3.5 cents per run
    When traffic runs for 1 min, evaluated every minute
    Then the check "cost_spike" breached with 3.5
    And the check "cost_spike" breached with action "pause"
    And the rollout is paused
