// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ClusterSeats} from "../../contracts/governance/ClusterSeats.sol";
import {IClusterSeats} from "../../contracts/interfaces/IClusterSeats.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";

import {Test} from "./utils/Test.sol";

/// @title ClusterSeatsTest
/// @notice ClusterSeats deployed directly by this contract, which is therefore its registry: only the
///         registry mints and burns (G1), a mint self-delegates at once and votes always equal seats held, now
///         and in the past (G2, timestamp clock), and every way of moving a seat or its vote (transferFrom, both
///         safeTransferFrom, approve, setApprovalForAll, delegate, delegateBySig) reverts and changes nothing,
///         including under fuzzed callers, addresses and token ids.
contract ClusterSeatsTest is Test {
    ClusterSeats internal seats;

    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant STRANGER = address(0xBAD);
    uint256 internal constant START = 1_700_000_000;

    function setUp() public {
        vm.warp(START);
        seats = new ClusterSeats();
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _id(uint64 raw) internal pure returns (ChainId) {
        return ChainId.wrap(raw);
    }

    /// @dev Everything observable about seats 1..3 and the three known accounts.
    function _fingerprint() internal view returns (bytes32 h) {
        address[3] memory accounts = [ALICE, BOB, STRANGER];
        h = keccak256(abi.encode(seats.seatCount(), seats.getVotes(ALICE), seats.getVotes(BOB)));
        for (uint256 i; i < accounts.length; ++i) {
            h = keccak256(
                abi.encode(
                    h,
                    seats.balanceOf(accounts[i]),
                    seats.getVotes(accounts[i]),
                    seats.delegates(accounts[i]),
                    seats.isApprovedForAll(ALICE, accounts[i])
                )
            );
        }
        for (uint64 id = 1; id <= 3; ++id) {
            bool exists = seats.hasSeat(_id(id));
            h = keccak256(abi.encode(h, exists, exists ? seats.ownerOf(id) : address(0)));
            if (exists) h = keccak256(abi.encode(h, seats.getApproved(id)));
        }
    }

    /// @dev Alice holds seat 1, Bob holds seat 2; then one second passes.
    function _seedTwo() internal {
        seats.mint(ALICE, _id(1));
        seats.mint(BOB, _id(2));
        vm.warp(block.timestamp + 1);
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_registryIsDeployer() public view {
        assertEq(seats.registry(), address(this), "registry");
        assertEq(seats.seatCount(), 0, "no seats");
        assertEq(bytes(seats.name()), bytes("ClusterKit Seat"), "name");
        assertEq(bytes(seats.symbol()), bytes("CKSEAT"), "symbol");
    }

    function test_clock_isTimestamp() public {
        assertEq(bytes(seats.CLOCK_MODE()), bytes("mode=timestamp"), "CLOCK_MODE");
        assertEq(seats.clock(), START, "clock");
        vm.warp(START + 12345);
        assertEq(seats.clock(), START + 12345, "clock follows the timestamp");
        vm.roll(block.number + 100);
        assertEq(seats.clock(), START + 12345, "clock ignores the block number");
    }

    /*//////////////////////////////////////////////////////////////
                               MINT, BURN
    //////////////////////////////////////////////////////////////*/

    function test_mint_nonRegistry() public {
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsNotRegistry.selector, STRANGER));
        seats.mint(STRANGER, _id(1));
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsNotRegistry.selector, ALICE));
        seats.mint(ALICE, _id(1));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_burn_nonRegistry() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        // Not even the holder can burn its own seat.
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsNotRegistry.selector, ALICE));
        seats.burn(_id(1));
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsNotRegistry.selector, STRANGER));
        seats.burn(_id(2));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_mint_zeroHolder() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(IClusterSeats.SeatsZeroHolder.selector);
        seats.mint(address(0), _id(1));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_mint_selfDelegates() public {
        vm.expectEmit(address(seats));
        emit IClusterSeats.SeatGranted(_id(7), ALICE);
        seats.mint(ALICE, _id(7));
        assertEq(seats.ownerOf(7), ALICE, "owner");
        assertEq(seats.balanceOf(ALICE), 1, "balance");
        assertEq(seats.getVotes(ALICE), 1, "votes at once");
        assertEq(seats.delegates(ALICE), ALICE, "self-delegated");
        assertEq(seats.seatCount(), 1, "seatCount");
        assertTrue(seats.hasSeat(_id(7)), "hasSeat");
        assertFalse(seats.hasSeat(_id(8)), "no other seat");

        vm.warp(START + 10);
        assertEq(seats.getPastVotes(ALICE, START - 1), 0, "no votes before the mint");
        assertEq(seats.getPastVotes(ALICE, START), 1, "votes from the mint's timestamp");
        assertEq(seats.getPastVotes(ALICE, START + 9), 1, "votes later");
        assertEq(seats.getPastTotalSupply(START - 1), 0, "total supply before");
        assertEq(seats.getPastTotalSupply(START), 1, "total supply after");
    }

    function test_mint_twoSeatsSameHolder() public {
        seats.mint(ALICE, _id(1));
        vm.warp(START + 5);
        seats.mint(ALICE, _id(2));
        assertEq(seats.getVotes(ALICE), 2, "two votes");
        assertEq(seats.balanceOf(ALICE), 2, "two seats");
        assertEq(seats.seatCount(), 2, "seatCount");
        vm.warp(START + 6);
        assertEq(seats.getPastVotes(ALICE, START), 1, "one vote before the second mint");
        assertEq(seats.getPastVotes(ALICE, START + 5), 2, "two votes after");
    }

    function test_mint_existingId() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsSeatExists.selector, _id(1)));
        seats.mint(BOB, _id(1));
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsSeatExists.selector, _id(1)));
        seats.mint(ALICE, _id(1));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_burn_dropsVotesAndCount() public {
        seats.mint(ALICE, _id(1));
        seats.mint(ALICE, _id(2));
        vm.warp(START + 100);
        vm.expectEmit(address(seats));
        emit IClusterSeats.SeatRevoked(_id(1), ALICE);
        seats.burn(_id(1));
        assertEq(seats.getVotes(ALICE), 1, "one vote left");
        assertEq(seats.balanceOf(ALICE), 1, "one seat left");
        assertEq(seats.seatCount(), 1, "seatCount");
        assertFalse(seats.hasSeat(_id(1)), "seat 1 gone");
        assertTrue(seats.hasSeat(_id(2)), "seat 2 kept");
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, uint256(1)));
        seats.ownerOf(1);

        seats.burn(_id(2));
        assertEq(seats.getVotes(ALICE), 0, "no votes");
        assertEq(seats.seatCount(), 0, "no seats");
        vm.warp(START + 101);
        assertEq(seats.getPastVotes(ALICE, START + 99), 2, "past votes kept");
        assertEq(seats.getPastVotes(ALICE, START + 100), 0, "votes dropped at the burn");
        assertEq(seats.getPastTotalSupply(START + 100), 0, "total supply dropped");
    }

    function test_burn_unknownSeat() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, uint256(3)));
        seats.burn(_id(3));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_mint_afterBurnRegrants() public {
        _seedTwo();
        seats.burn(_id(1));
        seats.mint(BOB, _id(1));
        assertEq(seats.ownerOf(1), BOB, "new holder");
        assertEq(seats.getVotes(BOB), 2, "votes");
        assertEq(seats.getVotes(ALICE), 0, "old holder's votes");
        assertEq(seats.seatCount(), 2, "seatCount");
    }

    /*//////////////////////////////////////////////////////////////
                              NO TRANSFERS
    //////////////////////////////////////////////////////////////*/

    function test_transferFrom_byHolder() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.transferFrom(ALICE, BOB, 1);
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.transferFrom(ALICE, STRANGER, 1);
        assertEq(_fingerprint(), before, "state changed");
        assertEq(seats.ownerOf(1), ALICE, "owner");
        assertEq(seats.getVotes(ALICE), 1, "votes");
    }

    function test_safeTransferFrom_byHolder() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.safeTransferFrom(ALICE, BOB, 1);
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.safeTransferFrom(ALICE, BOB, 1, "data");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_transferFrom_byRegistry() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        // The registry has no transfer power either.
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.transferFrom(ALICE, BOB, 1);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_approve_disabled() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.approve(BOB, 1);
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.setApprovalForAll(BOB, true);
        assertEq(_fingerprint(), before, "state changed");
        assertEq(seats.getApproved(1), address(0), "no approval");
        assertFalse(seats.isApprovedForAll(ALICE, BOB), "no operator");
    }

    function test_delegate_disabled() public {
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsDelegationDisabled.selector);
        seats.delegate(BOB);
        vm.prank(ALICE);
        vm.expectRevert(IClusterSeats.SeatsDelegationDisabled.selector);
        seats.delegate(ALICE);
        // A properly signed delegation is refused all the same.
        vm.expectRevert(IClusterSeats.SeatsDelegationDisabled.selector);
        seats.delegateBySig(BOB, 0, block.timestamp + 1, 27, bytes32(uint256(1)), bytes32(uint256(2)));
        assertEq(_fingerprint(), before, "state changed");
        assertEq(seats.delegates(ALICE), ALICE, "still self-delegated");
    }

    function test_delegateBySig_signedByHolder() public {
        uint256 pk = 0xA11CE;
        address holder = vm.addr(pk);
        seats.mint(holder, _id(5));
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)"),
                BOB,
                uint256(0),
                block.timestamp + 1
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _typedDataHash(structHash));
        vm.expectRevert(IClusterSeats.SeatsDelegationDisabled.selector);
        seats.delegateBySig(BOB, 0, block.timestamp + 1, v, r, s);
        assertEq(seats.getVotes(holder), 1, "holder keeps its vote");
        assertEq(seats.getVotes(BOB), 0, "delegatee got nothing");
        assertEq(seats.nonces(holder), 0, "nonce unused");
    }

    function _typedDataHash(bytes32 structHash) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("ClusterKit Seat"),
                keccak256("1"),
                block.chainid,
                address(seats)
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /*//////////////////////////////////////////////////////////////
                                  FUZZ
    //////////////////////////////////////////////////////////////*/

    /// @notice Any transfer attempt (any caller, any from/to, a held or a random id, all three entry points)
    ///         reverts with the error ERC-721's check order predicts and changes nothing.
    /// @dev msg.sender = 0 cannot happen on chain (ERC-721 treats auth = 0 as "no check", so a zero caller
    ///      would reach `_update` as a mint): such callers are replaced by Alice.
    function testFuzz_transferFrom_hostile(address caller, address from, address to, uint256 id, uint8 mode) public {
        vm.assume(caller != address(vm));
        _seedTwo();
        if (mode % 4 == 0) id = 1;
        else if (mode % 4 == 1) id = 2;
        if ((mode >> 2) % 4 == 0 || caller == address(0)) caller = ALICE;
        if ((mode >> 4) % 4 == 0) from = ALICE;
        if ((mode >> 6) % 4 == 0) to = BOB;
        bytes memory expected;
        if (to == address(0)) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0));
        } else if (id == 1 || id == 2) {
            expected = abi.encodeWithSelector(IClusterSeats.SeatsNonTransferable.selector);
        } else {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, id);
        }
        bytes32 before = _fingerprint();
        uint256 countBefore = seats.seatCount();
        vm.prank(caller);
        vm.expectRevert(expected);
        seats.transferFrom(from, to, id);
        vm.prank(caller);
        vm.expectRevert(expected);
        seats.safeTransferFrom(from, to, id);
        vm.prank(caller);
        vm.expectRevert(expected);
        seats.safeTransferFrom(from, to, id, abi.encode(id));
        assertEq(_fingerprint(), before, "state changed");
        assertEq(seats.seatCount(), countBefore, "seatCount");
        if (id != 1 && id != 2 && id <= type(uint64).max) {
            assertFalse(seats.hasSeat(ChainId.wrap(uint64(id))), "a seat appeared");
        }
    }

    function testFuzz_approve_hostile(address caller, address operator, uint256 id, bool approved) public {
        vm.assume(caller != address(vm));
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.approve(operator, id);
        vm.prank(caller);
        vm.expectRevert(IClusterSeats.SeatsNonTransferable.selector);
        seats.setApprovalForAll(operator, approved);
        vm.prank(caller);
        vm.expectRevert(IClusterSeats.SeatsDelegationDisabled.selector);
        seats.delegate(operator);
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_mint_hostileCaller(address caller, address holder, uint64 id) public {
        vm.assume(caller != address(this) && caller != address(vm));
        _seedTwo();
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsNotRegistry.selector, caller));
        seats.mint(holder, _id(id));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IClusterSeats.SeatsNotRegistry.selector, caller));
        seats.burn(_id(id % 3));
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @notice A random sequence of mints and burns among three holders: every holder's votes equal its
    ///         seat count at every step and at every past timestamp, and seatCount equals the seats held.
    function testFuzz_mint_votesFollowSeats(uint256 seed) public {
        address[3] memory holders = [ALICE, BOB, STRANGER];
        uint256[3][17] memory history;
        uint64 next = 1;
        for (uint256 step; step < 16; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint64 victim = uint64(1 + ((r >> 8) % next));
            if (r % 3 != 0 || !seats.hasSeat(_id(victim))) {
                seats.mint(holders[(r >> 4) % 3], _id(next++));
            } else {
                seats.burn(_id(victim));
            }
            uint256 total;
            for (uint256 k; k < 3; ++k) {
                uint256 held = seats.balanceOf(holders[k]);
                assertEq(seats.getVotes(holders[k]), held, "votes != seats held");
                history[step][k] = held;
                total += held;
            }
            assertEq(seats.seatCount(), total, "seatCount != seats held");
            vm.warp(block.timestamp + 1);
        }
        for (uint256 step; step < 16; ++step) {
            for (uint256 k; k < 3; ++k) {
                assertEq(seats.getPastVotes(holders[k], START + step), history[step][k], "past votes");
            }
        }
    }
}
