@seedgates @simulation
Feature: The seed plans simulated on their declared gates
  The seed plans name their own policy file and the application metrics of their runs, so their gates
  can be simulated in virtual time through the real router, detector and rollback controller, with
  faults injected as for canarysim simulate --inject.

  @slow
  Scenario: Seed 004: a healthy conversation engine completes; the evidence quotes the app's log
    Given the plan "fixtures/plans/conversation-v2-watch.yaml"
    When the seed plan runs in the simulator
    Then the simulated rollout completed
    And the evidence log quotes "[STARTUP] Conversation engine: v2; [STARTUP] Kill switch active: False"
    And the evidence log quotes "[V2-METRICS] runs="
    And the evidence log never quotes "[V2-ANOMALY]"

  Scenario: Seed 004: v2 calling the LLM on 35% of SICK_CALLER runs is rolled back
    Given the plan "fixtures/plans/conversation-v2-watch.yaml"
    When the seed plan runs in the simulator with "v2.llm_call=35% for SICK_CALLER at 30h"
    Then the simulated rollout rolled_back
    And the injection was first caught by "llm_rate_sick_caller"
    And the evidence log quotes "[STARTUP] Kill switch active: True"
    And the evidence log has 0 BLOCKED_EXECUTION_PIPELINE windows

  Scenario: Seed 002: one failed mission is not a pattern
    Given the plan "fixtures/plans/coder-vp-evidence.yaml"
    When the seed plan runs in the simulator with "v2.mission_failed at 50h"
    Then the simulated rollout in_progress
    And no check caught the injection

  Scenario: Seed 002: a sustained vp.mission.failed pattern reverts
    Given the plan "fixtures/plans/coder-vp-evidence.yaml"
    When the seed plan runs in the simulator with "v2.mission_failed=40% at 50h for 1h"
    Then the simulated rollout rolled_back
    And the injection was first caught by "mission_failed_pattern"

  Scenario: Seed 002: only a stalled execution pipeline is BLOCKED_EXECUTION_PIPELINE
    Given the plan "fixtures/plans/coder-vp-evidence.yaml"
    When the seed plan runs in the simulator with "v2.stall at 48h for 12h"
    Then the evidence log has 2 BLOCKED_EXECUTION_PIPELINE windows
    And the evidence log quotes "v2 runs stalled (never completed, active_runs stayed above 0; v1 answered)"

  @slow
  Scenario: Seed 003: a healthy Moltbot agent completes the playbook on its declared gates
    The relative checks compare the canary with v1 on a 99% confidence interval over 24 h, so the
    1% canary's few runs an hour do not hold the ramp on noise.
    Given the plan "fixtures/plans/moltbot-playbook.yaml"
    When the seed plan runs in the simulator
    Then the simulated rollout completed

  @slow
  Scenario: Seed 003: an order-completion drop the data show against v1 holds the 1% canary
    Given the plan "fixtures/plans/moltbot-playbook.yaml"
    When the seed plan runs in the simulator with "v2.order_completed=40% at day 8"
    Then the simulated rollout in_progress
    And the injection was first caught by "order_completion_vs_v1"

  @slow
  Scenario: Seed 003: a critical error rolls back, clears the rate limiter state, then notifies on-call
    Given the plan "fixtures/plans/moltbot-playbook.yaml"
    When the seed plan runs in the simulator with "v2.critical_error at day 8"
    Then the simulated rollout rolled_back
    And the injection was first caught by "critical_errors_48h"
    And the evidence log quotes "rollback procedure after the rollback (v2): clear rate limiter state, then notify on call (2 notifications sent: clear_rate_limiter_state, rollback)"
