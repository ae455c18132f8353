// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IDevelopmentVerifier} from "../interfaces/IDevelopmentVerifier.sol";
import {IUpdateVerifier} from "../interfaces/IUpdateVerifier.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title DevelopmentVerifier
/// @notice Accepts every update. DEVELOPMENT ONLY.
/// @dev Invariant: this contract exists only on chain ids 31337 (Hardhat, Anvil) and 1337 (Geth dev,
///      Ganache): its constructor reverts anywhere else, so no production registry can point at it.
///      The Ignition module additionally refuses to deploy it unless told so by a parameter.
contract DevelopmentVerifier is IDevelopmentVerifier {
    /// @inheritdoc IDevelopmentVerifier
    bool public constant IS_DEVELOPMENT_VERIFIER = true;

    constructor() {
        if (block.chainid != 31337 && block.chainid != 1337) revert DevelopmentVerifierNotLocal(block.chainid);
    }

    /// @inheritdoc IUpdateVerifier
    function verify(UpdatePublicData calldata, bytes calldata) external pure returns (bool) {
        return true;
    }
}
