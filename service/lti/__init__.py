"""LMS integration: LTI 1.3 Advantage (launch, Deep Linking 2.0, AGS 2.0, registration).

The JOSE parts (JWT, JWS, JWK) come from joserfc; this package holds only the protocol:
`launch` verifies id_tokens, `tool_keys` and `platform_keys` hold the keys, `deep_linking`
signs content items, `ags` and `outbox` post scores, `registration` stores platforms.
"""
