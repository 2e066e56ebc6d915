@conversation @wiremock
Feature: Conversation-engine smoke
  The smoke runs of the v2 conversation-engine rollout log (seed 004): multi-turn slot filling
  against WireMock-stubbed v1 and v2 engines, sent through the real router. On every turn the
  harness checks the acceptance criteria: no slot is asked twice in a row, the extracted data is
  cumulative and never loses a key, the confirm card matches the slots, and a deterministic flow
  makes zero LLM calls. LLM calls are counted in WireMock's request journal.

  Background:
    Given the conversation engines are stubbed with WireMock
    And the router is in candidate mode

  Scenario: STOCK_CHECKER on v2 fills product, quantity and place, then completes
    When a STOCK_CHECKER conversation goes:
      | user says                             | fills        | then     |
      | Check if JB Hi-Fi has Sony headphones | product_name | quantity |
      | 3                                     | quantity     | place_id |
      | JB Hi-Fi Chermside                    | place_id     | CONFIRM  |
      | CONFIRM                               |              | COMPLETE |
    Then every turn was served by v2
    And the confirm card shows:
      | slot         | value                  |
      | product_name | Sony headphones        |
      | quantity     | 3                      |
      | place_id     | place-jbhifi-chermside |
    And the agent meta says phoneSource is "PLACE"
    And the v2 conversation engine received 4 requests
    And the v1 conversation engine received 0 requests
    And the LLM stub received 1 request
    And the engine reported 1 LLM call in total
    And every request matched a stub

  Scenario: SICK_CALLER on v2 fills six slots deterministically, with zero LLM calls
    When a SICK_CALLER conversation goes:
      | user says                | fills            | then             |
      | Call in sick to Bunnings | employer_name    | employer_phone   |
      | +61412345678             | employer_phone   | caller_name      |
      | Richard                  | caller_name      | shift_date       |
      | tomorrow                 | shift_date       | shift_start_time |
      | 9am                      | shift_start_time | reason_category  |
      | SICK                     | reason_category  | CONFIRM          |
      | CONFIRM                  |                  | COMPLETE         |
    Then every turn was served by v2
    And the confirm card shows:
      | slot             | value        |
      | employer_name    | Bunnings     |
      | employer_phone   | +61412345678 |
      | caller_name      | Richard      |
      | shift_date       | tomorrow     |
      | shift_start_time | 9am          |
      | reason_category  | SICK         |
    And the agent meta says phoneSource is "DIRECT_SLOT"
    And the agent meta says directPhoneSlot is "employer_phone"
    And the LLM stub received 0 requests
    And the engine reported 0 LLM calls in total
    And the v2 conversation engine received 7 requests

  Scenario: Rejecting the confirm card returns to the first slot and keeps what was said
    When a SICK_CALLER conversation goes:
      | user says                | fills            | then             |
      | Call in sick to Bunnings | employer_name    | employer_phone   |
      | +61412345678             | employer_phone   | caller_name      |
      | Richard                  | caller_name      | shift_date       |
      | tomorrow                 | shift_date       | shift_start_time |
      | 9am                      | shift_start_time | reason_category  |
      | SICK                     | reason_category  | CONFIRM          |
      | REJECT                   |                  | employer_name    |
    Then every turn was served by v2
    And the extracted data still holds every slot
    And the LLM stub received 0 requests

  Scenario: With the kill switch on, a v2 request is served by v1
    Given the kill switch is on
    When a STOCK_CHECKER conversation goes:
      | user says                             | fills        | then     |
      | Check if JB Hi-Fi has Sony headphones | product_name | quantity |
      | 3                                     | quantity     | place_id |
      | JB Hi-Fi Chermside                    | place_id     | CONFIRM  |
      | CONFIRM                               |              | COMPLETE |
    Then every turn was served by v1
    And the v2 conversation engine received 0 requests
    And the v1 conversation engine received 4 requests
    And the audit log holds 4 "engine_route" events

  Scenario: In primary mode SICK_CALLER is served by v1 alone
    Given the router is in primary mode
    When a SICK_CALLER conversation goes:
      | user says                | fills            | then             |
      | Call in sick to Bunnings | employer_name    | employer_phone   |
      | +61412345678             | employer_phone   | caller_name      |
      | Richard                  | caller_name      | shift_date       |
      | tomorrow                 | shift_date       | shift_start_time |
      | 9am                      | shift_start_time | reason_category  |
      | SICK                     | reason_category  | CONFIRM          |
      | CONFIRM                  |                  | COMPLETE         |
    Then every turn was served by v1
    And the v2 conversation engine received 0 requests

  Scenario Outline: A broken v2 engine is caught on the turn it breaks an invariant (<variant>)
    Given the v2 conversation engine is the broken variant "<variant>"
    When a SICK_CALLER conversation is tried with:
      | user says                |
      | Call in sick to Bunnings |
      | +61412345678             |
      | Richard                  |
      | tomorrow                 |
      | 9am                      |
      | SICK                     |
      | CONFIRM                  |
    Then turn <turn> broke the invariant "<invariant>"

    Examples:
      | variant            | turn | invariant                                            |
      | loses-key          | 3    | lost key(s) employer_name                            |
      | repeats-slot       | 2    | slot 'employer_phone' was asked twice in a row       |
      | calls-llm          | 1    | the deterministic flow made 1 LLM call(s)            |
      | wrong-confirm-card | 6    | shows 'caller_name' = 'Rachel' but the extracted data says 'Richard' |

  Scenario: The healthy v2 engine breaks no invariant
    When a SICK_CALLER conversation is tried with:
      | user says                |
      | Call in sick to Bunnings |
      | +61412345678             |
      | Richard                  |
      | tomorrow                 |
      | 9am                      |
      | SICK                     |
      | CONFIRM                  |
    Then no conversation invariant was broken
