@routing
Feature: The cohorts canarysim route predicts are the cohorts the router serves
  A release manager asks `canarysim route --key K --pct P --salt S` which engine a session will get,
  before the canary starts. The router must answer the same on every machine, in basis points
  (0.01 %): a session is on v2 exactly when its bucket is below the percentage × 100. The buckets
  below are the ones `canarysim route --key <session> --salt <salt> --pct 4.03` printed; if one
  changes, production sessions would move between v1 and v2 without anyone asking.

  Scenario Outline: Session "<session>" with salt "<salt>" is in bucket <bucket>
    Given the bucketing salt is "<salt>"
    And the router is in canary mode at 4.03%
    When session "<session>" is routed
    Then the bucket is <bucket>

    Examples:
      | session | salt       | bucket |
      | sess-42 | canarysim  | 403    |
      | sess-42 | phase8     | 1761   |
      | sess-42 | live-short | 9062   |
      | sess-7  | canarysim  | 6515   |
      | u-ann   | phase8     | 2833   |

  Scenario Outline: Bucket 403 is on v2 from 4.04 % on, not at 4.03 %
    Given the bucketing salt is "canarysim"
    And the router is in canary mode at <pct>%
    When session "sess-42" is routed
    Then the router selects <engine> with reason "<reason>"

    Examples:
      | pct  | engine | reason  |
      | 4.03 | v1     | default |
      | 4.04 | v2     | canary  |
      | 5    | v2     | canary  |
