pragma circom 2.1.0;

include "../ledger/ledger.circom";

component main {public [prevRoot, newRoot, queueHash, withdrawalRoot, meta]} = LedgerBatch(4, 8);
