<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ApiServer</name>
    <message>
        <location filename="../src/server/ApiServer.cpp" line="136"/>
        <source>Port %1 on %2 is already in use. Stop the program that uses it, or choose another port (LISTEN_PORT or --port).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/server/ApiServer.cpp" line="140"/>
        <source>Cannot listen on %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/server/ApiServer.cpp" line="149"/>
        <source>The HTTP server could not take over the listening socket.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfigLoader</name>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="45"/>
        <source>%1 must be true or false (got &quot;%2&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="59"/>
        <source>%1 must be a whole number from %2 to %3 (got &quot;%4&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="79"/>
        <source>%1 must be a URL starting with %2 (got &quot;%3&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="123"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="138"/>
        <source>%1:%2: expected KEY=VALUE, got &quot;%3&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="188"/>
        <source>LISTEN_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0 (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="229"/>
        <source>API_ENDPOINT points at the legacy path /api/chat/completions; using /api/v2/chat/completions instead (pin the legacy path in an upstream profile if you really need it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="240"/>
        <source>ZAI_SIGNING_SECRET=junjie is the original template&apos;s key, which Z.AI has rejected since October 2025; using the built-in signing secret instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="272"/>
        <source>UVICORN_WORKERS is ignored: one event loop serves every request, so there are no worker processes to configure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="277"/>
        <source>SKIP_AUTH_TOKEN only applies on a loopback address; requests to %1 still need the API key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="281"/>
        <source>Refusing to listen on %1 without an API key: anyone on the network could use your Z.AI account. Set AUTH_TOKEN, or listen on 127.0.0.1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/headless/main.cpp" line="72"/>
        <source>ZaiBridge: an OpenAI-compatible API server in front of the Z.AI GLM web chat.

Configured by environment variables (see the README) or a .env file; the options below take precedence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="80"/>
        <source>Port to listen on (LISTEN_PORT, default 8080; 0 picks a free one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="83"/>
        <source>Address to listen on (LISTEN_HOST, default 127.0.0.1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="86"/>
        <source>Read variables from this file (default: .env in the working directory, if present).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="89"/>
        <source>JSON file that overrides parts of the built-in upstream profile (UPSTREAM_PROFILE).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="107"/>
        <source>zaibridge-server: configuration error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="119"/>
        <source>zaibridge-server: upstream profile error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="126"/>
        <source>zaibridge-server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="135"/>
        <source>ZaiBridge %1 listening on %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
