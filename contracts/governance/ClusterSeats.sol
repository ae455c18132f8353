// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721Votes} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IClusterSeats} from "../interfaces/IClusterSeats.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title ClusterSeats
/// @notice Non-transferable member seats with ERC-5805 votes; see IClusterSeats.
/// @dev Invariants (docs/PROPERTIES.md, table G):
///      G1  a seat moves only from or to the zero address (mint or burn), and only the registry does either.
///      G2  every holder's votes equal its seat count at every timestamp (self-delegated, no delegation).
///      G3  seatCount() equals the number of member chains (registered and not ejected) of the registry.
contract ClusterSeats is IClusterSeats, ERC721, EIP712, ERC721Votes {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev The registry that created this contract.
    address private immutable _registry;
    /// @dev Seats in existence.
    uint256 private _count;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @dev Deployed by the registry's constructor, which becomes the only minter and burner.
    constructor() ERC721("ClusterKit Seat", "CKSEAT") EIP712("ClusterKit Seat", "1") {
        _registry = msg.sender;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClusterSeats
    function mint(address holder, ChainId chainId) external {
        if (msg.sender != _registry) revert SeatsNotRegistry(msg.sender);
        if (holder == address(0)) revert SeatsZeroHolder();
        if (_ownerOf(ChainId.unwrap(chainId)) != address(0)) revert SeatsSeatExists(chainId);
        _mint(holder, ChainId.unwrap(chainId));
        if (delegates(holder) != holder) _delegate(holder, holder);
        unchecked {
            ++_count;
        }
        emit SeatGranted(chainId, holder);
    }

    /// @inheritdoc IClusterSeats
    function burn(ChainId chainId) external {
        if (msg.sender != _registry) revert SeatsNotRegistry(msg.sender);
        address holder = _ownerOf(ChainId.unwrap(chainId));
        _burn(ChainId.unwrap(chainId));
        unchecked {
            --_count;
        }
        emit SeatRevoked(chainId, holder);
    }

    /// @notice Disabled: seats are not transferable.
    function approve(address, uint256) public pure override {
        revert SeatsNonTransferable();
    }

    /// @notice Disabled: seats are not transferable.
    function setApprovalForAll(address, bool) public pure override {
        revert SeatsNonTransferable();
    }

    /// @notice Disabled: votes stay with the seat holder.
    function delegate(address) public pure override {
        revert SeatsDelegationDisabled();
    }

    /// @notice Disabled: votes stay with the seat holder.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert SeatsDelegationDisabled();
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IClusterSeats
    function registry() external view returns (address) {
        return _registry;
    }

    /// @inheritdoc IClusterSeats
    function seatCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc IClusterSeats
    function hasSeat(ChainId chainId) external view returns (bool) {
        return _ownerOf(ChainId.unwrap(chainId)) != address(0);
    }

    /// @notice ERC-6372 clock: the block timestamp.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock mode.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Only mints and burns: any transfer between two holders reverts.
    function _update(
        address to,
        uint256 tokenId,
        address auth
    ) internal override(ERC721, ERC721Votes) returns (address) {
        address from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0)) revert SeatsNonTransferable();
        return super._update(to, tokenId, auth);
    }

    function _increaseBalance(address account, uint128 amount) internal override(ERC721, ERC721Votes) {
        super._increaseBalance(account, amount);
    }
}
