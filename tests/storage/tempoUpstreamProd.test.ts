/** Tempo 3.0.3 key-by-key checks of the prod stack's Tempo files. */
import { tempoUpstreamSuite } from "./tempoUpstreamSuite";

tempoUpstreamSuite("prod");
