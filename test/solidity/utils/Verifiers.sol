// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IUpdateVerifier} from "../../../contracts/interfaces/IUpdateVerifier.sol";
import {UpdatePublicData} from "../../../contracts/types/UpdatePublicData.sol";

/// @notice Test-only verifier that accepts every update (works on any chain id).
contract AcceptingVerifier is IUpdateVerifier {
    function verify(UpdatePublicData calldata, bytes calldata) external pure returns (bool) {
        return true;
    }
}

/// @notice Test-only verifier that rejects every update by returning false.
contract RejectingVerifier is IUpdateVerifier {
    function verify(UpdatePublicData calldata, bytes calldata) external pure returns (bool) {
        return false;
    }
}

/// @notice Test-only verifier that rejects every update with its own custom error.
contract RevertingVerifier is IUpdateVerifier {
    error RevertingVerifierRejected(bytes32 newRoot);

    function verify(UpdatePublicData calldata data, bytes calldata) external pure returns (bool) {
        revert RevertingVerifierRejected(data.newRoot);
    }
}
