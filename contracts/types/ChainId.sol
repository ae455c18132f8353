// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ChainId
/// @notice Identifier of a member chain in the cluster's registry. 0 is reserved: it names the
///         settlement chain, the root of the tree, and is the parent of every top-level chain.
/// @dev A user-defined value type so that chain ids, commitment indices and block numbers cannot be
///      mixed up by accident. Equality operators are attached globally.
type ChainId is uint64;

using {eqChainId as ==, neqChainId as !=} for ChainId global;

/// @dev The settlement chain: the root of every cluster tree.
ChainId constant SETTLEMENT_ROOT = ChainId.wrap(0);

/// @dev `a == b` for chain ids.
function eqChainId(ChainId a, ChainId b) pure returns (bool) {
    return ChainId.unwrap(a) == ChainId.unwrap(b);
}

/// @dev `a != b` for chain ids.
function neqChainId(ChainId a, ChainId b) pure returns (bool) {
    return ChainId.unwrap(a) != ChainId.unwrap(b);
}
