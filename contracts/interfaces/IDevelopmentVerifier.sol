// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IUpdateVerifier} from "./IUpdateVerifier.sol";

/// @title IDevelopmentVerifier
/// @notice A verifier that accepts every update, for local development only. It cannot be deployed
///         on any chain but the in-process Hardhat network and local development nodes.
interface IDevelopmentVerifier is IUpdateVerifier {
    /// @notice Deployment attempted on chain `chainId`, which is not a local development chain.
    error DevelopmentVerifierNotLocal(uint256 chainId);

    /// @notice Always true: marks this verifier as the development one for tooling and audits.
    function IS_DEVELOPMENT_VERIFIER() external view returns (bool);
}
