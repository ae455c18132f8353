// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGroth16UpdateVerifier} from "../interfaces/IGroth16UpdateVerifier.sol";
import {IGroth16Verifier5} from "../interfaces/IGroth16Verifier5.sol";
import {IRequestQueue} from "../interfaces/IRequestQueue.sol";
import {IUpdateVerifier} from "../interfaces/IUpdateVerifier.sol";
import {LedgerPublicSignals} from "../libraries/LedgerPublicSignals.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title Groth16UpdateVerifier
/// @notice The registry's verifier for chains running the reference ledger (docs/LEDGER.md), one Groth16
///         proof per update.
/// @dev Invariants: stateless (callable under STATICCALL); accepts an update only if (1) every root and hash
///      is a field element and the unsupported fields are zero, (2) `(queuePosition, queueHash)` is a point of
///      the chain's queue, so the batch consumed exactly the queued items in order, and (3) the generated
///      verifier accepts the proof for the derived signals. A malformed proof is rejected with an error,
///      a well-formed but wrong one with `false`.
contract Groth16UpdateVerifier is IGroth16UpdateVerifier {
    IGroth16Verifier5 private immutable _groth16;
    IRequestQueue private immutable _queue;

    /// @param groth16_ The generated verifier of the ledger circuit instance the chains run.
    /// @param queue_ The request queue of the settlement chain.
    constructor(IGroth16Verifier5 groth16_, IRequestQueue queue_) {
        if (address(groth16_) == address(0) || address(queue_) == address(0)) {
            revert Groth16UpdateVerifierZeroAddress();
        }
        _groth16 = groth16_;
        _queue = queue_;
    }

    /// @inheritdoc IUpdateVerifier
    function verify(UpdatePublicData calldata data, bytes calldata proof) external view returns (bool) {
        if (proof.length != 256) revert Groth16UpdateVerifierBadProofLength(proof.length);
        uint256[5] memory signals = LedgerPublicSignals.derive(data);
        if (!_queue.isQueuePoint(data.chainId, data.queuePosition, data.queueHash)) {
            revert Groth16UpdateVerifierQueueMismatch(data.queuePosition, data.queueHash);
        }
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = abi.decode(
            proof,
            (uint256[2], uint256[2][2], uint256[2])
        );
        return _groth16.verifyProof(a, b, c, signals);
    }

    /// @inheritdoc IGroth16UpdateVerifier
    function groth16() external view returns (address) {
        return address(_groth16);
    }

    /// @inheritdoc IGroth16UpdateVerifier
    function queue() external view returns (address) {
        return address(_queue);
    }
}
