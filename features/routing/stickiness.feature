@routing
Feature: Deterministic canary bucketing
  The router hashes "salt:session" (falling back to the user id) into one of 10 000 buckets.
  The same session always lands in the same bucket, so ramping the canary up never moves a
  session back to v1, and every process routes it the same way.

  Background:
    Given the bucketing salt is "phase8"

  Scenario: Sessions stay on v2 while the canary ramps up
    When 2000 synthetic sessions are routed at each step of the ramp 1% → 5% → 10% → 25% → 50% → 100%
    Then no session moved from v2 back to v1 as the percentage rose
    And at every step the share of sessions on v2 is within 3 points of the percentage

  Scenario: The bucket of a session does not depend on the router instance
    Given the router is in canary mode at 10%
    When session "sess-42" is routed
    Then the bucket is between 0 and 9999
    And a second router with the same settings puts session "sess-42" in the same bucket

  Scenario: The session id is the key even when a user id is present
    Given the router is in canary mode at 100%
    When session "sess-7" of user "u-ann" is routed
    Then the router selects v2 with reason "canary"

  Scenario: A request with only a user id is bucketed by the user
    Given the router is in canary mode at 100%
    When user "u-bob" without a session is routed
    Then the router selects v2 with reason "canary"

  Scenario: A request without any key is routed by the random source and marked unkeyed
    Given the router is in canary mode at 0%
    When a request without session or user is routed
    Then the router selects v1 with reason "unkeyed"
    And the decision is marked unkeyed

  Scenario Outline: Nothing goes to v2 at 0 % and everything at 100 %
    Given the router is in canary mode at <pct>%
    When 500 different sessions are routed
    Then all 500 were sent to <engine> with reason "<reason>"

    Examples:
      | pct | engine | reason  |
      | 0   | v1     | default |
      | 100 | v2     | canary  |
