// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RegistryPacking
/// @notice Bit layouts of the registry's packed storage words.
/// @dev Invariants:
///      - every setter changes exactly its own bit range and leaves the others untouched;
///      - every getter returns a value that fits its declared width (masking is done here);
///      - callers guarantee values fit before setting (counts are bounded by the number of chains,
///        blocks by 2^40, indices by 2^32), so no setter truncates in practice.
///
///      HOT word: everything an update needs from an ancestor, in one slot (one cold SLOAD, one SSTORE).
///        [  0.. 64) parent          uint64   parent chain id (0 = settlement chain)
///        [ 64.. 96) latestIdx       uint32   index of the latest commitment
///        [ 96..128) finalizedIdx    uint32   index of the newest final commitment
///        [128..168) latestBlock     uint40   settlement block of the latest commitment
///        [168..192) latestA         uint24   a(latest commitment)
///        [192..232) prevBlock       uint40   settlement block of commitment latestIdx - 1
///        [232..256) b               uint24   active chains in the subtree, itself included
///
///      CONFIG word: what only the chain's own updates need.
///        [  0..160) operator        address
///        [160..168) status          uint8    IValidiumRegistry.ChainStatus
///        [168..176) depth           uint8    1 for a top-level chain
///        [176..192) childCount      uint16
///        [192..232) latestAck       uint40   the chain's latest ack block
///
///      META lane (64 bits, four lanes per word): a non-latest commitment's block and a-count.
///        [  0.. 40) block           uint40
///        [ 40.. 64) a               uint24
library RegistryPacking {
    uint256 private constant _M24 = (1 << 24) - 1;
    uint256 private constant _M32 = (1 << 32) - 1;
    uint256 private constant _M40 = (1 << 40) - 1;
    uint256 private constant _M64 = (1 << 64) - 1;

    // ---------------------------------------------------------------- HOT

    function parent(uint256 h) internal pure returns (uint64) {
        return uint64(h);
    }

    function latestIdx(uint256 h) internal pure returns (uint32) {
        return uint32(h >> 64);
    }

    function finalizedIdx(uint256 h) internal pure returns (uint32) {
        return uint32(h >> 96);
    }

    function latestBlock(uint256 h) internal pure returns (uint256) {
        return (h >> 128) & _M40;
    }

    function latestA(uint256 h) internal pure returns (uint256) {
        return (h >> 168) & _M24;
    }

    function prevBlock(uint256 h) internal pure returns (uint256) {
        return (h >> 192) & _M40;
    }

    function b(uint256 h) internal pure returns (uint256) {
        return h >> 232;
    }

    function setFinalizedIdx(uint256 h, uint256 v) internal pure returns (uint256) {
        return (h & ~(_M32 << 96)) | (v << 96);
    }

    function setLatestA(uint256 h, uint256 v) internal pure returns (uint256) {
        return (h & ~(_M24 << 168)) | (v << 168);
    }

    function setB(uint256 h, uint256 v) internal pure returns (uint256) {
        return (h & ~(_M24 << 232)) | (v << 232);
    }

    /// @dev Builds a hot word from all its fields.
    function hot(
        uint256 parent_,
        uint256 latestIdx_,
        uint256 finalizedIdx_,
        uint256 latestBlock_,
        uint256 latestA_,
        uint256 prevBlock_,
        uint256 b_
    ) internal pure returns (uint256) {
        return
            parent_ |
            (latestIdx_ << 64) |
            (finalizedIdx_ << 96) |
            (latestBlock_ << 128) |
            (latestA_ << 168) |
            (prevBlock_ << 192) |
            (b_ << 232);
    }

    function setParent(uint256 h, uint256 v) internal pure returns (uint256) {
        return (h & ~_M64) | v;
    }

    /// @dev Appends a commitment made at `blockNumber`: the old latest becomes the previous one.
    function appendCommitment(uint256 h, uint256 blockNumber) internal pure returns (uint256) {
        uint256 keep = h & (_M64 | (_M32 << 96) | (_M24 << 232));
        return keep | ((uint256(latestIdx(h)) + 1) << 64) | (blockNumber << 128) | (latestBlock(h) << 192);
    }

    // ---------------------------------------------------------------- CONFIG

    function operator(uint256 c) internal pure returns (address) {
        return address(uint160(c));
    }

    function status(uint256 c) internal pure returns (uint8) {
        return uint8(c >> 160);
    }

    function depth(uint256 c) internal pure returns (uint8) {
        return uint8(c >> 168);
    }

    function childCount(uint256 c) internal pure returns (uint16) {
        return uint16(c >> 176);
    }

    function latestAck(uint256 c) internal pure returns (uint64) {
        return uint64((c >> 192) & _M40);
    }

    function setOperator(uint256 c, address v) internal pure returns (uint256) {
        return (c & ~uint256(type(uint160).max)) | uint256(uint160(v));
    }

    function setStatus(uint256 c, uint256 v) internal pure returns (uint256) {
        return (c & ~(uint256(0xff) << 160)) | (v << 160);
    }

    function setDepth(uint256 c, uint256 v) internal pure returns (uint256) {
        return (c & ~(uint256(0xff) << 168)) | (v << 168);
    }

    function setChildCount(uint256 c, uint256 v) internal pure returns (uint256) {
        return (c & ~(uint256(0xffff) << 176)) | (v << 176);
    }

    function setLatestAck(uint256 c, uint256 v) internal pure returns (uint256) {
        return (c & ~(_M40 << 192)) | (v << 192);
    }

    function config(address operator_, uint256 status_, uint256 depth_) internal pure returns (uint256) {
        return uint256(uint160(operator_)) | (status_ << 160) | (depth_ << 168);
    }

    // ---------------------------------------------------------------- META lanes

    /// @dev The (block, a) pair in lane `lane` (0..3) of a meta word.
    function lane(uint256 w, uint256 laneIdx) internal pure returns (uint256 blockNumber, uint256 a) {
        uint256 bits = w >> (laneIdx << 6);
        return (bits & _M40, (bits >> 40) & _M24);
    }

    /// @dev `w` with lane `laneIdx` set to (blockNumber, a).
    function setLane(uint256 w, uint256 laneIdx, uint256 blockNumber, uint256 a) internal pure returns (uint256) {
        uint256 shift = laneIdx << 6;
        return (w & ~(_M64 << shift)) | ((blockNumber | (a << 40)) << shift);
    }
}
