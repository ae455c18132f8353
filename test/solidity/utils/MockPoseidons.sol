// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPoseidon2} from "../../../contracts/interfaces/IPoseidon2.sol";
import {IPoseidon3} from "../../../contracts/interfaces/IPoseidon3.sol";
import {IPoseidon5} from "../../../contracts/interfaces/IPoseidon5.sol";

/// @notice TEST-ONLY MOCK of the two-input Poseidon: `uint256(keccak256(abi.encode(inputs))) % r` (as
///         MockPoseidon4; NOT Poseidon).
contract KeccakPoseidon2 is IPoseidon2 {
    uint256 internal constant FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @inheritdoc IPoseidon2
    function poseidon(uint256[2] calldata inputs) external pure returns (uint256) {
        return hash(inputs);
    }

    function hash(uint256[2] memory inputs) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(inputs))) % FIELD_R;
    }
}

/// @notice TEST-ONLY MOCK of the five-input Poseidon (see KeccakPoseidon2).
contract KeccakPoseidon5 is IPoseidon5 {
    uint256 internal constant FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @inheritdoc IPoseidon5
    function poseidon(uint256[5] calldata inputs) external pure returns (uint256) {
        return hash(inputs);
    }

    function hash(uint256[5] memory inputs) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(inputs))) % FIELD_R;
    }
}

/// @notice TEST-ONLY MOCK of the three-input Poseidon (see KeccakPoseidon2).
contract KeccakPoseidon3 is IPoseidon3 {
    uint256 internal constant FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @inheritdoc IPoseidon3
    function poseidon(uint256[3] calldata inputs) external pure returns (uint256) {
        return hash(inputs);
    }

    function hash(uint256[3] memory inputs) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(inputs))) % FIELD_R;
    }
}
