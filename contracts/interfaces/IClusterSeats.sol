// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";

/// @title IClusterSeats
/// @notice One non-transferable ERC-721 seat per member chain, with ERC-5805 votes (one seat, one vote),
///         held by the chain's governance address. Token id = chain id. The seats are created by the registry
///         and minted and burned only by it, inside `admitChain`/`registerChain` and ejection, which only the
///         cluster timelock can call: a seat exists exactly while its chain is a member (docs/GOVERNANCE.md §1).
/// @dev The clock is a timestamp (`CLOCK_MODE() = "mode=timestamp"`) so proposals behave the same on an L1 and
///      on an L2 settlement chain. Votes are self-delegated on mint and cannot be delegated elsewhere.
interface IClusterSeats {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Only the registry mints and burns seats.
    error SeatsNotRegistry(address caller);
    /// @notice Seats cannot be transferred or approved for transfer.
    error SeatsNonTransferable();
    /// @notice Votes stay with the seat holder; delegation is disabled.
    error SeatsDelegationDisabled();
    /// @notice A seat cannot be minted to the zero address.
    error SeatsZeroHolder();
    /// @notice `chainId` already has a seat.
    error SeatsSeatExists(ChainId chainId);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Chain `chainId`'s seat was given to `holder`.
    event SeatGranted(ChainId indexed chainId, address indexed holder);
    /// @notice Chain `chainId`'s seat, held by `holder`, was revoked.
    event SeatRevoked(ChainId indexed chainId, address indexed holder);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Mints the seat of `chainId` to `holder` and self-delegates its vote. Registry only.
    /// @param holder The chain's governance address.
    /// @param chainId The member chain (the token id).
    function mint(address holder, ChainId chainId) external;

    /// @notice Burns the seat of `chainId`. Registry only.
    /// @param chainId The member chain leaving the cluster.
    function burn(ChainId chainId) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The registry, the only minter and burner.
    function registry() external view returns (address);

    /// @notice Number of seats in existence (= number of member chains).
    function seatCount() external view returns (uint256);

    /// @notice Whether `chainId` has a seat.
    function hasSeat(ChainId chainId) external view returns (bool);
}
