/** The reference validium ledger (docs/LEDGER.md): public API. */
export * from "./types.ts";
export { BABYJUB_SUBORDER, getCrypto, getCryptoSync, type LedgerCrypto } from "./crypto.ts";
export * from "./encoding.ts";
export {
  AccountTree,
  copyLeaf,
  emptyLeaf,
  emptyRoot,
  genesisRoot,
  isEmptyLeaf,
  leafHash,
  MAX_DEPTH,
  MIN_DEPTH,
  zeroHashes,
} from "./tree.ts";
export { Wallet, type TransferParams, type WithdrawParams } from "./wallet.ts";
export {
  Ledger,
  LedgerError,
  publicSignalsOf,
  type AccountSnapshot,
  type LedgerErrorCode,
  type LedgerParams,
  type LedgerSnapshot,
} from "./ledger.ts";
export {
  buildEscapeProof,
  decodeEscapeProof,
  encodeEscapeProof,
  ESCAPE_OP,
  ESCAPE_PROOF_ABI,
  escapeMessage,
  EscapeProofError,
  type BuiltEscapeProof,
  type EscapeProof,
} from "./escape.ts";
