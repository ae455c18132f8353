// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title IUpdateVerifier
/// @notice The one interface the registry calls to check a chain update.
/// @dev Implementations must be stateless with respect to the call (the registry calls it as `view`,
///      so it runs under STATICCALL) and must not accept an update they cannot check.
interface IUpdateVerifier {
    /// @notice Checks that `proof` proves the state transition described by `data`.
    /// @param data The update's public data, as submitted to the registry.
    /// @param proof Verifier-specific proof bytes (a SNARK, committee signatures, ...).
    /// @return ok True iff the proof is valid for exactly this data. A verifier may also revert with
    ///         its own custom error to explain a rejection.
    function verify(UpdatePublicData calldata data, bytes calldata proof) external view returns (bool ok);
}
