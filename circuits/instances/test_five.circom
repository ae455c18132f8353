pragma circom 2.1.0;

include "../test/five_signals.circom";

component main {public [s]} = FiveSignals();
