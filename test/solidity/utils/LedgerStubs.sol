// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGroth16Verifier5} from "../../../contracts/interfaces/IGroth16Verifier5.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";

/// @notice TEST-ONLY stub of a generated Groth16 verifier with five public signals. It answers a settable
///         boolean and makes the call it received observable. `verifyProof` runs under STATICCALL (the adapter is
///         `view`), so it cannot store what it saw; instead:
///         - with `setExpected(a, b, c, signals)` it answers only for exactly that call and reverts with
///           {StubGroth16Verifier5UnexpectedCall} (carrying what it saw) for any other;
///         - with `setEcho(true)` it always reverts with {StubGroth16Verifier5Called} carrying what it saw, so
///           a test can compare the exact revert data.
contract StubGroth16Verifier5 is IGroth16Verifier5 {
    /// @notice The call differed from the expected one; the arguments are what the stub saw.
    error StubGroth16Verifier5UnexpectedCall(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[5] signals);
    /// @notice Echo mode: the arguments the stub was called with.
    error StubGroth16Verifier5Called(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[5] signals);

    bool public answer;
    bool public echo;
    /// @notice keccak256(abi.encode(a, b, c, signals)) of the expected call; 0: any call is answered.
    bytes32 public expectedCall;

    function setAnswer(bool answer_) external {
        answer = answer_;
    }

    function setEcho(bool echo_) external {
        echo = echo_;
    }

    function setExpected(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[5] calldata signals
    ) external {
        expectedCall = keccak256(abi.encode(a, b, c, signals));
    }

    function clearExpected() external {
        expectedCall = bytes32(0);
    }

    /// @inheritdoc IGroth16Verifier5
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[5] calldata signals
    ) external view returns (bool) {
        if (echo) revert StubGroth16Verifier5Called(a, b, c, signals);
        bytes32 expected = expectedCall;
        if (expected != bytes32(0) && keccak256(abi.encode(a, b, c, signals)) != expected) {
            revert StubGroth16Verifier5UnexpectedCall(a, b, c, signals);
        }
        return answer;
    }
}

/// @notice TEST-ONLY stub of the request queue's `isQueuePoint` (the one function Groth16UpdateVerifier
///         calls): the points are set by the test, per (chain, position, hash).
contract StubRequestQueue {
    mapping(ChainId => mapping(uint64 => mapping(bytes32 => bool))) private _points;

    function setPoint(ChainId chainId, uint64 position, bytes32 rollingHash, bool isPoint) external {
        _points[chainId][position][rollingHash] = isPoint;
    }

    function isQueuePoint(ChainId chainId, uint64 position, bytes32 rollingHash) external view returns (bool) {
        return _points[chainId][position][rollingHash];
    }
}
