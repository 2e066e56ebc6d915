@detection
Feature: A slowly slowing v2 is rolled back and stays off
  v2's latency creeps up a little every minute. The regression detector compares v2's p95 with
  the 1600 ms limit over its window; once it is past the limit the guard rolls back, and nothing
  turns v2 back on by itself.

  Background:
    Given the router is in canary mode at 10%

  Scenario: v2's p95 rising 50 ms a minute from 800 ms is rolled back after it passes 1600 ms
    Given v1 answers in 800ms at p95
    And v2 answers in 800ms at p95
    And v2's p95 latency rises 50ms every minute
    When traffic runs for 30 min, evaluated every minute
    Then the rollout is rolled back
    And the settings history holds 1 automatic rollback
    And v2 was not re-enabled after the rollback

  Scenario: The 1600 ms limit is on v2's own p95: faster than a slow v1 is still too slow
    Given v1 answers in 1900ms at p95
    And v2 answers in 1700ms at p95
    When traffic runs for 10 min, evaluated every minute
    Then the rollout is rolled back
    And v2 was not re-enabled after the rollback

  Scenario: Under the limit, v2 stays on however slow v1 is
    Given v1 answers in 1900ms at p95
    And v2 answers in 1500ms at p95
    When traffic runs for 10 min, evaluated every 2 min
    Then the rollout is active
    And no rollback happened
