// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IClusterConfig} from "../interfaces/IClusterConfig.sol";
import {IPoseidon4} from "../interfaces/IPoseidon4.sol";
import {IRequestQueue} from "../interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../interfaces/IValidiumRegistry.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title RequestQueue
/// @notice Per-chain, in-order queue of requests on the settlement chain, with the Poseidon rolling hash
///         that the reference ledger circuit recomputes (docs/LEDGER.md §4). Deposits of ETH only for now;
///         ERC-20 deposits, forced withdrawals and payouts arrive with the security issue's escrow.
/// @dev Invariants:
///      - `_length[c]` only grows, by one per queued item; `_hashes[c][n]` is written once, when item n-1 is
///        queued, and equals H_4(_hashes[c][n-1], w0, w1, w2) with `_hashes[c][0] = 0`.
///      - `_escrowed[c]` is the sum of `msg.value` of every deposit into c; this contract has no payout path.
///      - Every queued item satisfies the encoding ranges of LEDGER.md §4 (kind 1, token 0, amount < 2^128,
///        0 < keyHash < r, refund ≠ 0), so the circuit can always consume it.
contract RequestQueue is IRequestQueue {
    /// @dev Queue length per chain.
    mapping(ChainId => uint64) private _length;
    /// @dev Rolling hash per chain and position (position n: after n items).
    mapping(ChainId => mapping(uint64 => bytes32)) private _hashes;
    /// @dev ETH held per chain.
    mapping(ChainId => uint256) private _escrowed;

    IValidiumRegistry private immutable _registry;
    IPoseidon4 private immutable _poseidon;
    /// @dev The cluster configuration, whose guardian pause stops deposits.
    IClusterConfig private immutable _config;

    uint256 private constant _FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant _KIND_DEPOSIT = 1;
    uint256 private constant _TOKEN_ETH = 0;

    /// @param registry_ The registry whose chains this queue serves.
    /// @param poseidon_ The circomlibjs-generated Poseidon contract with four inputs.
    constructor(IValidiumRegistry registry_, IPoseidon4 poseidon_) {
        if (address(registry_) == address(0) || address(poseidon_) == address(0)) revert RequestQueueZeroAddress();
        _registry = registry_;
        _poseidon = poseidon_;
        _config = registry_.clusterConfig();
    }

    /// @inheritdoc IRequestQueue
    function depositEth(
        ChainId chainId,
        uint32 accountIndex,
        uint256 keyHash,
        address refund
    ) external payable returns (uint64 position) {
        _config.requireNotPaused();
        IValidiumRegistry.ChainStatus status = _registry.chainStatus(chainId);
        if (status != IValidiumRegistry.ChainStatus.Active) revert RequestQueueChainNotActive(chainId, status);
        uint256 amount = msg.value;
        if (amount == 0 || amount >> 128 != 0) revert RequestQueueInvalidAmount(amount);
        if (keyHash == 0 || keyHash >= _FIELD_R) revert RequestQueueInvalidKeyHash(keyHash);
        if (refund == address(0)) revert RequestQueueZeroRefund();

        uint256 w0 = _KIND_DEPOSIT | (_TOKEN_ETH << 8) | (uint256(accountIndex) << 40) | (amount << 72);
        _escrowed[chainId] += amount;
        position = _append(chainId, w0, keyHash, uint256(uint160(refund)));
    }

    /// @inheritdoc IRequestQueue
    function length(ChainId chainId) external view returns (uint64) {
        return _length[chainId];
    }

    /// @inheritdoc IRequestQueue
    function hashAt(ChainId chainId, uint64 position) external view returns (bytes32) {
        uint64 len = _length[chainId];
        if (position > len) revert RequestQueuePositionBeyondEnd(chainId, position, len);
        return _hashes[chainId][position];
    }

    /// @inheritdoc IRequestQueue
    function isQueuePoint(ChainId chainId, uint64 position, bytes32 rollingHash) external view returns (bool) {
        // One storage read: a position beyond the end holds 0, and a rolling hash of a non-empty prefix is a
        // Poseidon output, which is 0 with probability 2^-254 (and then this returns false: safe).
        return _hashes[chainId][position] == rollingHash && (rollingHash != bytes32(0) || position == 0);
    }

    /// @inheritdoc IRequestQueue
    /// @dev The loop is `isQueuePoint` per entry, in assembly: a batch verifier calls this for every update of
    ///      a batch, and the compiler's element accessors cost several times the loop's work besides the
    ///      storage read. A chain id or position above 2^64 - 1 reverts without data, as the compiler's own
    ///      reads of such a value do.
    function areQueuePoints(
        ChainId[] calldata chainIds,
        uint64[] calldata positions,
        bytes32[] calldata rollingHashes
    ) external view returns (bool ok) {
        uint256 n = chainIds.length;
        if (positions.length != n || rollingHashes.length != n) {
            revert RequestQueueLengthMismatch(n, positions.length, rollingHashes.length);
        }
        ok = true;
        assembly ("memory-safe") {
            // `_hashes[c][p]` is at keccak256(p, keccak256(c, _hashes.slot)); the chain's part is kept while
            // consecutive entries share a chain (scratch word 1 holds it). No chain id is 2^256 - 1.
            let chainId := not(0)
            let end := shl(5, n)
            for {
                let i := 0
            } lt(i, end) {
                i := add(i, 0x20)
            } {
                let c := calldataload(add(chainIds.offset, i))
                let position := calldataload(add(positions.offset, i))
                if shr(64, or(c, position)) {
                    revert(0, 0)
                }
                if iszero(eq(c, chainId)) {
                    chainId := c
                    mstore(0x00, c)
                    mstore(0x20, _hashes.slot)
                    mstore(0x20, keccak256(0x00, 0x40))
                }
                mstore(0x00, position)
                let rollingHash := calldataload(add(rollingHashes.offset, i))
                // As `isQueuePoint`: the stored hash, and not 0 unless the position is.
                if iszero(
                    and(
                        eq(sload(keccak256(0x00, 0x40)), rollingHash),
                        or(iszero(iszero(rollingHash)), iszero(position))
                    )
                ) {
                    ok := 0
                    break
                }
            }
        }
    }

    /// @inheritdoc IRequestQueue
    function escrowed(ChainId chainId) external view returns (uint256) {
        return _escrowed[chainId];
    }

    /// @inheritdoc IRequestQueue
    function poseidon() external view returns (address) {
        return address(_poseidon);
    }

    /// @inheritdoc IRequestQueue
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @dev Appends (w0, w1, w2) to `chainId`'s queue and returns the new length.
    function _append(ChainId chainId, uint256 w0, uint256 w1, uint256 w2) private returns (uint64 position) {
        uint64 len = _length[chainId];
        bytes32 prev = _hashes[chainId][len];
        bytes32 next = bytes32(_poseidon.poseidon([uint256(prev), w0, w1, w2]));
        unchecked {
            position = len + 1;
        }
        _length[chainId] = position;
        _hashes[chainId][position] = next;
        emit RequestQueued(chainId, position, w0, w1, w2, next);
    }
}
